"""Stage 4: the dataset a number is measured on.

Within the sentence: "VALUE on DATASET", a dataset just before the value in its clause, a
sentence-opening "On DATASET,", the sentence's only dataset, and "A and B reach X and Y
respectively" lists zipped in order. Across the abstract: a sentence that names no dataset takes
the one the abstract has put in focus, i.e. the only dataset it names, or else the only one of the
closest earlier sentence that names any ("We evaluate on CoNLL 2003. Our tagger reaches 91.2 F1.").
"""

from __future__ import annotations

import re

from extractors.results.view import ResultView


_YEAR = re.compile(r"^(?:19|20)\d\d$|^'\d\d$")
_VERSION = re.compile(r"^v?\d+(?:\.\d+)*$", re.I)
_PAIR = re.compile(r"^[A-Z][a-z]+(?:-to-|-|→)[A-Z][a-z]+$")
_SPLITS = {"test-dev", "test-std", "test-challenge", "testdev", "val", "val2017", "test2017", "minival"}
_SPLIT_WORDS = {"test", "dev", "validation", "val"}


def variant_name(view: ResultView, ent: dict) -> str:
    """The dataset's name with the version, language pair, task or split written right after it:
    "WMT 2014 English-German", "SemEval 2010 Task 8", "MetaQA 3-hop", "COCO test-dev"."""
    name = view.group_name(ent)
    k = ent["end"]
    extra: list[str] = []
    end = k
    while k < len(view.lowers) and len(extra) < 3:
        text, low = view.text(k), view.lower(k)
        if view.ent_at[k] is not None:
            break
        if _YEAR.match(text) or _VERSION.match(text) and not extra or _PAIR.match(text) or low in _SPLITS \
                or re.fullmatch(r"\d+-hop", low):
            extra.append(text)
            k += 1
        elif low == "task" and re.fullmatch(r"\d+", view.text(k + 1)):
            extra += [text, view.text(k + 1)]
            k += 2
        elif low in _SPLIT_WORDS and view.lower(k + 1) in ("set", "split") and view.lower(k - 1) != "and":
            extra.append(text)
            k += 1
        else:
            break
        end = k
    if not extra and _PAIR.match(view.text(ent["start"] - 1)):
        return f"{name} {view.text(ent['start'] - 1)}"  # "English-to-German WMT 2014"
    if not extra:
        return name
    c0, c1 = view.char_span(ent["end"], end)
    tail = " ".join(view.doc.text[c0:c1].split())
    return f"{name} {tail}"


def leading_dataset(view: ResultView, s0: int, s1: int):
    """"On the X dataset, ..." / "For X, ..." at the start of the sentence."""
    if view.lower(s0) not in ("on", "for", "across", "in"):
        return None
    for k in range(s0 + 1, min(s1, s0 + 8)):
        if view.lowers[k] == ",":
            break
        ent = view.ent_at[k]
        if ent is not None and ent["label"] == "Dataset":
            return ent
    return None


def datasets_for(view: ResultView, v: dict, s0: int, s1: int, datasets: list[dict], lead) -> list[dict]:
    """The dataset(s) a value is reported on; "on A and B datasets" gives both."""
    first = dataset_for(view, v, s0, s1, datasets, lead)
    if first is None:
        return []
    out = [first]
    k = first["end"]
    while k < s1:
        w = view.lowers[k]
        ent = view.ent_at[k]
        if ent is not None and ent["label"] == "Dataset" and ent is not out[-1]:
            if view.key(ent) not in {view.key(d) for d in out}:
                out.append(ent)
            k = ent["end"]
            continue
        if w in (",", "and", "the", "dataset", "datasets", "benchmark", "benchmarks", "or"):
            k += 1
            continue
        break
    return out


def dataset_for(view: ResultView, v: dict, s0: int, s1: int, datasets: list[dict], lead):
    i, j = v["start"], v["end"]
    # after: "VALUE (METRIC) on (the) DATASET"
    k, steps = j, 0
    while k < s1 and steps <= 14:
        ent = view.ent_at[k]
        w = view.lowers[k]
        if ent is not None and ent["label"] == "Dataset" and steps > 0 and \
                any(view.lowers[x] in ("on", "in", "for", "over", "across", "of", "at") for x in range(j, k)):
            return ent
        if ent is not None and ent["label"] == "Dataset":
            break
        if w in (";", "while", "whereas", "but", "compared", "than"):
            break
        k += 1
        steps += 1
    # before, in the same clause: "on the PHOENIX14T dataset (>+5)"
    k, steps = i - 1, 0
    while k >= s0 and steps <= 8:
        ent = view.ent_at[k]
        if ent is not None and ent["label"] == "Dataset":
            return ent
        w = view.lowers[k]
        if w in (";", "while", "whereas", "but", "and") and steps > 3:
            break
        if w[:1].isdigit() and k < i - 1 and view.ent_at[k] is None:
            break
        k -= 1
        steps += 1
    if lead is not None:
        return lead
    if len({view.key(d) for d in datasets}) == 1 and (v.get("metric") or v["kind"] == "score"):
        return datasets[0]
    return None


def zip_respectively(view: ResultView, group: list[dict], datasets: list[dict]) -> bool:
    """"... on A and B, respectively": the datasets after (or before) the values, in order."""
    after = [d for d in datasets if d["start"] > group[0]["start"]]
    before = [d for d in datasets if d["end"] <= group[0]["start"]]
    before = before[-len(group):] if len(before) >= len(group) else []
    # "on A and B to 51.1 and 44.3 respectively": "respectively" right after the values points back
    points_back = any(view.lower(k) == "respectively" for k in range(group[-1]["end"], group[-1]["end"] + 3))
    if points_back and before:
        pool = before
    else:
        pool = after[:len(group)] if len(after) >= len(group) else before
    if len(pool) != len(group) or len({view.key(d) for d in pool}) != len(group):
        return False
    for v, d in zip(group, pool):
        v["dataset_ent"] = d
        v["dataset_src"] = "respectively"
    return True


def zip_lists(view: ResultView, group: list[dict], datasets: list[dict]) -> bool:
    """Values listed, then as many datasets listed right after them: paired in order."""
    after = [d for d in datasets if d["start"] >= group[-1]["end"]]
    keys: list[str] = []
    firsts: list[dict] = []
    for d in after:
        if view.key(d) not in keys:
            keys.append(view.key(d))
            firsts.append(d)
    if len(firsts) != len(group) or firsts[0]["start"] - group[-1]["end"] > 6:
        return False
    # the datasets must form one list: only commas, "and", "the" and type words between them
    for a, b in zip(firsts, firsts[1:]):
        if any(w not in (",", "and", "the", "dataset", "datasets", "benchmark", "benchmarks", "or")
               for w in view.lowers[a["end"]:b["start"]]):
            return False
    for v, d in zip(group, firsts):
        v["dataset_ent"] = d
        v["dataset_src"] = "list"
    return True


class DocumentFocus:
    """The dataset the abstract is about at each sentence, for numbers whose sentence names none."""

    def __init__(self, view: ResultView):
        self.view = view
        self.by_sentence: dict[int, list[dict]] = {}
        for ent in view.ents:
            if ent["label"] == "Dataset":
                self.by_sentence.setdefault(view.sent_of[ent["start"]], []).append(ent)
        keys = {view.key(e) for ents in self.by_sentence.values() for e in ents}
        self.only = None
        if len(keys) == 1:
            self.only = next(iter(self.by_sentence.values()))[0]

    def at(self, sid: int):
        if self.only is not None:
            return self.only
        for earlier in range(sid - 1, -1, -1):
            ents = self.by_sentence.get(earlier)
            if ents:
                keys = {self.view.key(e) for e in ents}
                return ents[0] if len(keys) == 1 else None
        return None
