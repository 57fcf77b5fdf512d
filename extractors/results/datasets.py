"""Stage 4: the dataset a number is measured on.

Within the sentence: "VALUE on DATASET", a dataset just before the value in its clause, a
sentence-opening "On DATASET,", the sentence's only dataset, and "A and B reach X and Y
respectively" lists zipped in order. Across the abstract: a sentence that names no dataset takes
the one the abstract has put in focus, i.e. the only dataset it names, or else the only one of the
closest earlier sentence that names any ("We evaluate on CoNLL 2003. Our tagger reaches 91.2 F1.").
"""

from __future__ import annotations

from extractors.results.view import ResultView


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
    pool = after if len(after) == len(group) else (before[-len(group):] if len(before) >= len(group) else [])
    if len(pool) != len(group) or len({view.key(d) for d in pool}) != len(group):
        return False
    for v, d in zip(group, pool):
        v["dataset_ent"] = d
        v["dataset_src"] = "respectively"
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
