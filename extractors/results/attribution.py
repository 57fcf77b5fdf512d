"""Stage 5: whose number it is, and under what setting.

**Method.** A Method named as the subject of the value's clause ("MaskLLM achieves", "our X
variant is") owns the value; so does a Method the value follows in brackets ("outperforming
OV-DINO (50.2 AP)"), as a prior system's number. Otherwise the number is the paper's own claim:
``own`` is true and the method is the paper's primary introduced method, or none when the paper
does not name it (the graph then shows the paper's short title). Values of a starting point or
of baselines ("from 70.1% to ...", "prior methods report ...") are not the paper's.

**Setting.** zero-shot, k-shot, fine-tuned, linear probe ... when the text ties the word to this
number: zipped with "respectively", the closest word after the value in its clause, or a
sentence-opening "In the zero-shot setting, ..."; a language named at the start ("For Hindi, ...").
"""

from __future__ import annotations

import re

from extractors.components.lexicon import lexicon_sets
from extractors.results.view import CLAUSE_BREAKS, ResultView

_SUBJECT_VERBS = lexicon_sets()["subject_verbs"]
_OBJECT_MARKERS = frozenset({"than", "over", "outperforming", "outperforms", "surpassing", "to", "with", "like",
                             "such", "including", "vs", "vs.", "versus", "against", "of", "for", "from", "on",
                             "upon", "using", "by", "via", "based", "compared", "beats", "beating", "surpasses",
                             "exceeds", "exceeding"})
_SIZE = re.compile(r"\d+(?:\.\d+)?[BMK]")
_SHOT = re.compile(r"(?:\d+|one|two|three|four|five|ten|zero|few|many|k)-shot")


def method_subject(view: ResultView, v: dict, s0: int):
    """A Method named before the value as the subject of its clause, followed closely by a verb
    ("MaskLLM achieves", "OV-DINO on COCO achieves") or introduced by the paper; not the object
    of a preposition or comparison ("than X", "based on X", "models like X")."""
    i = v["start"]
    k = i - 1
    while k >= s0:
        if view.lowers[k] in CLAUSE_BREAKS:
            break
        ent = view.ent_at[k]
        if ent is None or ent["label"] != "Method":
            k -= 1
            continue
        before = [view.lowers[x] for x in range(max(s0, ent["start"] - 3), ent["start"])]
        if any(b in _OBJECT_MARKERS for b in before):
            k = ent["start"] - 1
            continue
        after = view.lowers[ent["end"]:min(i, ent["end"] + 5)]
        if view.group(ent).get("introduced") or any(w in _SUBJECT_VERBS for w in after):
            return ent
        k = ent["start"] - 1
    return None


def bracketed_method(view: ResultView, v: dict, s0: int):
    """"OV-DINO (50.2 AP)", "BERT: 84.1": the value stands in brackets right after a Method."""
    k = v["start"] - 1
    if view.lower(k) not in ("(", ":", "["):
        return None
    ent = view.ent_at[k - 1] if k - 1 >= s0 else None
    return ent if ent is not None and ent["label"] == "Method" else None


def trailing_method(view: ResultView, v: dict, s1: int):
    """"33.0% AP at 39ms for YOLOv3": a Method after "for" closes the value's phrase."""
    for k in range(v["end"], min(s1, v["end"] + 6)):
        w = view.lower(k)
        if w in (",", ";", "while", "whereas", "but", "compared", "than", "and") or w[:1].isdigit():
            return None
        if w == "for":
            ent = view.ent_at[k + 1] if k + 1 < s1 else None
            return ent if ent is not None and ent["label"] == "Method" else None
    return None


def attribute(view: ResultView, v: dict, s0: int, primary: dict | None, s1: int | None = None) -> tuple[str | None, bool]:
    """(method name, own) for one value."""
    trailing = trailing_method(view, v, s1) if s1 is not None else None
    if trailing is not None:
        return view.group_name(trailing), _is_own(view, trailing, primary)
    bracketed = bracketed_method(view, v, s0)
    if bracketed is not None:
        own = _is_own(view, bracketed, primary)
        return view.group_name(bracketed), own
    subject = v.get("method_ent") or method_subject(view, v, s0)
    if subject is not None:
        own = _is_own(view, subject, primary)
        if v.get("prior") and own and v.get("role") == "from":
            return None, False  # "X improves from 70% to 75%": the starting point is not X
        return view.group_name(subject), own
    if v.get("prior"):
        return None, False
    return (primary["name"] if primary else None), True


def _is_own(view: ResultView, ent: dict, primary: dict | None) -> bool:
    """The paper's own method: introduced by it, its primary method, or written as such ("our X",
    "the proposed X framework")."""
    g = view.group(ent)
    if g.get("introduced") or (primary is not None and g["key"] == primary["key"]):
        return True
    before = [view.lower(k) for k in range(max(0, ent["start"] - 2), ent["start"])]
    return any(w in ("our", "proposed", "presented", "introduced") for w in before)


def zip_methods(view: ResultView, group: list[dict], s0: int, s1: int) -> None:
    """"X and Y reach 95.9% and 94.1%, respectively": Methods before the values, in order."""
    methods = [e for e in view.ents if s0 <= e["start"] < group[0]["start"] and e["label"] == "Method"]
    keys = []
    for e in methods:
        if view.key(e) not in keys:
            keys.append(view.key(e))
    if len(keys) != len(group):
        return
    firsts = {}
    for e in methods:
        firsts.setdefault(view.key(e), e)
    for v, key in zip(group, keys):
        v["method_ent"] = firsts[key]


class Settings:
    def __init__(self):
        s = lexicon_sets()
        self.words = s["setting_words"]
        self.languages = s["languages"]

    def in_sentence(self, view: ResultView, s0: int, s1: int) -> list[tuple[int, str]]:
        found = []
        for k in range(s0, s1):
            low = view.lower(k)
            ent = view.ent_at[k]
            if ent is not None and ent["label"] in ("Method", "Dataset"):
                continue  # part of a name ("In-Context Pretraining", "Zero-Shot-CoT")
            if _SHOT.fullmatch(low) or low in self.words:
                name = low.replace("finetuned", "fine-tuned").replace("fine-tuning", "fine-tuned") \
                    .replace("finetuning", "fine-tuned").replace("linear-probing", "linear probe") \
                    .replace("linear-probe", "linear probe")
                found.append((k, name))
            elif low in ("extra", "additional", "external") and view.lower(k + 1) in ("data", "training") and \
                    view.lower(k - 1) in ("with", "without", "no"):
                found.append((k, "without extra data" if view.lower(k - 1) in ("without", "no") else "with extra data"))
            elif _SIZE.fullmatch(view.text(k)) and (view.lower(k + 1) in ("model", "models", "variant", "version")
                                                    or view.lower(k - 1) in ("our", "the")):
                found.append((k, view.text(k)))  # "our 7B model reaches ..."
        seen, out = set(), []
        for k, name in found:
            if name not in seen:
                seen.add(name)
                out.append((k, name))
        return out

    def language(self, view: ResultView, s0: int, s1: int) -> str | None:
        for k in range(s0, min(s1, s0 + 4)):
            if view.lowers[k] in self.languages and view.texts[k][:1].isupper() and \
                    view.lower(k - 1) in ("for", "on", "in"):
                return view.texts[k]
        return None


def nearest_setting(settings: list[tuple[int, str]], v: dict, view: ResultView | None = None) -> str | None:
    """A setting word after the value (within its clause: "55% under the zero-shot setting") or
    before it in the same clause ("In the zero-shot setting, X achieves 55%")."""
    best = None
    for k, name in settings:
        if v["end"] <= k <= v["end"] + 20 and (view is None or not any(
                w in (",", ";", "while", "whereas", "but") for w in view.lowers[v["end"]:k])):
            d = k - v["end"]
        elif k < v["start"] and (view is None or not any(w in (";",) for w in view.lowers[k:v["start"]])):
            d = v["start"] - k
            if view is not None and any(w == "," for w in view.lowers[k:v["start"]]) and not (
                    any(w in ("setting", "settings", "manner", "regime", "scenario", "scenarios")
                        for w in view.lowers[k:k + 3])
                    and k - view.bounds[view.sent_of[k]][0] <= 5):
                continue  # only a sentence-opening "In the zero-shot setting, ..." reaches over a comma
        else:
            continue
        if best is None or d < best[0]:
            best = (d, name)
    return best[1] if best else None
