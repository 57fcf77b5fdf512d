"""Stage 2: what kind of figure a number is.

* ``score``        a measured value ("an F1 of 91.2", "reduces WER to 4.1"); the "from" side of
                   "from A to B" and values given to prior or baseline systems are scores too, marked
                   ``prior`` so that they are not credited to the paper's method;
* ``improvement``  a difference on a quality metric ("+5.1 points", "improves accuracy by 2.3%",
                   "a 12% relative gain");
* ``cost``         an efficiency figure, absolute or relative ("34 ms", "4.1M parameters",
                   "2.2x faster", "40% less memory").

Multipliers with no cue of their own ("3.5x and 4x improvement") take the kind of their
coordination (see :func:`share_coordination`).
"""

from __future__ import annotations

from extractors.components.lexicon import lexicon_sets
from extractors.results.values import measures

_GAIN_NOUNS = frozenset({"improvement", "improvements", "gain", "gains", "boost", "increase", "decrease",
                         "reduction", "drop"})
_KIND_CUES = frozenset({"improvement", "improvements", "gain", "gains", "increase", "increases", "decrease",
                        "drop", "reduction", "boost", "improving", "improves", "improved", "margin",
                        "outperforming", "surpassing", "beating"})
_SPEED_WORDS = frozenset({"faster", "speedup", "speed-up", "speedups", "speed-ups", "acceleration", "throughput",
                          "quicker", "speed", "accelerates", "accelerate", "accelerated", "slower"})
#: "30% fewer parameters", "40% less memory": the nouns a comparative makes a cost of (result_measures.json)
_COST_NOUNS_AFTER_COMPARATIVE = frozenset(measures()["cost_nouns"])


class KindClassifier:
    def __init__(self):
        s = lexicon_sets()
        self.impr_before = s["improvement_before"]
        self.impr_after = s["improvement_after"]
        self.speed_after = s["speed_after"] | s["speed_words_after"]
        self.speed_before = s["speed_before"]
        self.baseline_words = s["baseline_subject_words"]
        self.units = frozenset(s["value_units"])
        self.comparatives = measures()["comparatives"]

    def classify(self, view, v: dict, s0: int, s1: int, subject_named) -> str | None:
        """The kind of value ``v``; None when the number turns out to be no result (a multiplier of
        size: "2x larger models"). Sets ``v["prior"]`` for values of a starting point or baseline."""
        i, j = v["start"], v["end"]
        before = view.lower(i - 1) if i > s0 else ""
        before2 = view.lower(i - 2) if i - 1 > s0 else ""
        nxt = [view.lower(k) for k in range(j, min(s1, j + 3))]
        window_before = [view.lower(k) for k in range(max(s0, i - 5), i)]
        clause_before = [view.lower(k) for k in range(max(s0, i - 14), i)]
        role = v.get("role")
        v["prior"] = role == "from"
        if v["shape"] == "QTY":
            return "score" if v.get("dimension") == "quality" else "cost"  # "1.19 bits/char" is a score
        if v["unit"] == "x":
            kind = self._multiplier(nxt, window_before, v)
            if kind is None:
                return None
        elif role == "from":
            kind = "score"
        elif self._is_gain(view, v, s0, before, nxt, window_before, clause_before):
            kind = "improvement"
        else:
            kind = "score"
        if kind == "improvement" and self._cost_gain(nxt):
            kind = "cost"  # "40% less memory", "30% fewer parameters"
        if role == "to" or (before == "to" and before2 != "up" and kind == "improvement" and not v.get("signed")):
            kind = "score"  # "reduces FID to 2.24": the new value, not the gain
        if kind == "score" and role != "to" and self._prior_context(view, v, s0, clause_before, subject_named):
            v["prior"] = True
        if v["unit"] == "" and nxt and nxt[0] in ("points", "point", "pts", "pp") and kind == "score":
            kind = "improvement"
        return kind

    def _multiplier(self, nxt: list[str], window_before: list[str], v: dict) -> str | None:
        if any(w in self.speed_after for w in nxt[:2]) or any(w in self.speed_before for w in window_before):
            if any(w in _SPEED_WORDS for w in nxt[:3] + window_before):
                return "cost"
            if self._cost_gain(nxt):
                return "cost"
            return "improvement"
        if nxt and nxt[0] in ("smaller", "larger", "bigger") and not self._cost_gain(nxt):
            return None
        return "multiplier"  # decided by its coordination ("3.5x and 4x improvement")

    def _cost_gain(self, nxt: list[str]) -> bool:
        """"fewer parameters", "less memory", "smaller model", "lower latency" after the value."""
        words = [w for w in nxt if w not in ("%", "\\%")]
        if not words:
            return False
        first = words[0]
        if first in ("smaller", "compression", "cheaper") or first in _SPEED_WORDS:
            return True
        if first in _COST_NOUNS_AFTER_COMPARATIVE:
            return True  # "saving up to 27% energy", "cuts 40% memory"
        if first in ("fewer", "less", "lower", "reduction", "more") and len(words) > 1:
            return words[1] in _COST_NOUNS_AFTER_COMPARATIVE or (words[1] in ("in", "of") and len(words) > 2
                                                                  and words[2] in _COST_NOUNS_AFTER_COMPARATIVE)
        return False

    def _is_gain(self, view, v, s0, before, nxt, window_before, clause_before) -> bool:
        i = v["start"]
        if v.get("signed") or any(w in self.impr_before for w in window_before[-4:]):
            return True
        if any(w in _GAIN_NOUNS for w in clause_before[-7:]) and before in ("of", "by", "to", "about", "around",
                                                                           "nearly", "over", "up"):
            return True
        if nxt and nxt[0] in self.impr_after or (len(nxt) > 1 and nxt[0] in ("%", "\\%") and nxt[1] in self.impr_after):
            return True
        return by_amount(view, i, s0) and any(
            w in self.impr_before or w in ("outperforms", "outperforming", "improving", "improves", "reduces",
                                           "reducing", "faster", "speeds") for w in clause_before)

    def _prior_context(self, view, v: dict, s0: int, clause_before: list[str], subject_named) -> bool:
        """The value of something the paper compares against: "compared to the dense model's 5.12 PPL",
        "..., while prior methods report a PPL of 12"."""
        i = v["start"]
        if view.lower(i - 1) in ("'s", "’s"):
            return True
        words = clause_before[-8:]
        if any(w in ("compared", "than", "versus", "vs", "vs.", "baseline", "baselines") for w in words):
            if subject_named is None:
                return True
        c0 = view.clause_start(i, s0)
        subject = [view.lower(k) for k in range(max(s0, c0), i)]
        first_verbs = [k for k, w in enumerate(subject) if w in ("achieve", "achieves", "obtain", "obtains", "reach",
                                                                 "reaches", "attain", "score", "scores", "report",
                                                                 "reports", "yield", "yields")]
        if first_verbs:
            head = subject[:first_verbs[0]]
            if any(w in self.baseline_words for w in head) and not any(w in ("we", "our", "ours", "proposed")
                                                                       for w in head) and subject_named is None:
                return True
        return False


def by_amount(view, i: int, s0: int) -> bool:
    """"by 3%", "by about 20%", "by up to 24%", "by more than 2 points"."""
    k = i - 1
    hedges = ("about", "around", "approximately", "roughly", "nearly", "almost", "up", "to", "over", "more",
              "than", "as", "much", "at", "least", "a", "further", "an", "average", "of", "additional")
    while k >= s0 and i - k <= 4 and view.lower(k) in hedges:
        k -= 1
    return k >= s0 and view.lower(k) == "by"


def kind_cue_between(view, a: dict, b: dict) -> bool:
    """A gain/comparison word between two coordinated values ("84, an improvement of 5"): each
    value then has its own kind."""
    lo, hi = (a, b) if a["start"] < b["start"] else (b, a)
    return any(w in _KIND_CUES for w in view.lowers[lo["end"]:hi["start"]])


def share_coordination(view, group: list[dict]) -> None:
    """"improvements of 2.16% and 1.82%": a gain cue covers the whole coordination; multipliers
    with no cue of their own take the group's kind."""
    kinds = {v["kind"] for v in group}
    if "improvement" in kinds and kinds <= {"improvement", "score", "multiplier"}:
        gains = [u for u in group if u["kind"] == "improvement"]
        for v in group:
            if v.get("role") != "to" and v["kind"] != "improvement" and \
                    any(not kind_cue_between(view, u, v) for u in gains):
                v["kind"] = "improvement"
    elif "cost" in kinds and kinds <= {"cost", "multiplier"}:
        for v in group:
            v["kind"] = "cost"
