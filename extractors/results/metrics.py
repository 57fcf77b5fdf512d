"""Stage 3: what a number measures.

In order, the first that applies:

1. a Metric mention next to the value: "an AP of 50.6", "6.72 PPL", "a 2.3% drop in WER";
2. the previous value's metric in a coordination ("50.6% on COCO and 40.0% on LVIS");
3. "in terms of METRIC" for the whole sentence, or the sentence's only metric after the value;
4. a free-form measure the sentence writes around the value: a noun phrase headed by a measure
   noun ("an average forgetting rate of 3.2%", "an intersection-over-union score of 71.8%",
   "improves request accuracy by 5.5%", "35% lower error rate");
5. for a cost, what its unit or comparative says: "34 ms" at inference is latency, "2x faster"
   a speed-up, "30% fewer parameters" parameters (``result_measures.json``).

The name of a Metric mention is canonicalised by the shipped metric table; a free-form name keeps
the text's words, without determiners and hedges ("the average", "a new").
"""

from __future__ import annotations

from extractors.components.lexicon import lexicon_sets
from extractors.results.values import measures

_CONNECT_BEFORE = lexicon_sets()["metric_connectors_before"]
_CONNECT_AFTER = lexicon_sets()["metric_connectors_after"]
_GAIN_AFTER = frozenset({"improvement", "improvements", "gains", "drop", "decrease", "increase", "reduction",
                         "terms", "percentage"})
#: words dropped from the front of a free-form metric
_LEADING = frozenset({"a", "an", "the", "our", "its", "their", "his", "her", "average", "overall", "final", "best",
                      "high", "higher", "low", "lower", "new", "state-of-the-art", "competitive", "impressive",
                      "relative", "absolute", "remarkable", "strong", "good", "excellent", "only", "mean-", "same",
                      "significant", "substantial", "considerable", "notable", "comparable", "better", "superior",
                      "record", "top", "reported", "total", "improved", "reduced", "increased", "maximum", "minimum",
                      "respective", "corresponding", "considerably", "significantly", "overall", "very", "in", "of",
                      "on", "by", "over", "with"})
#: words a free-form metric phrase never crosses (verbs, prepositions, punctuation)
_PHRASE_BREAKS = frozenset({",", ";", ":", "(", ")", ".", "and", "or", "of", "on", "in", "at", "by", "for", "to",
                            "with", "from", "than", "is", "are", "was", "were", "be", "achieves", "achieve",
                            "achieving", "obtains", "reaches", "yields", "gets", "has", "have", "shows", "show",
                            "improves", "improve", "reduces", "reduce", "increases", "increase", "we", "it",
                            "which", "that", "this", "these", "our", "its", "as", "over", "up", "%", "\\%"})


class MetricAttacher:
    def __init__(self):
        m = measures()
        self.heads = m["measure_heads"]
        self.not_measures = m["not_measures"]
        self.cost_metrics = m["cost_metrics"]
        self.comparatives = m["comparatives"]
        self.cost_nouns = m["cost_nouns"]

    # --- 1: a Metric mention next to the value
    @staticmethod
    def near(view, v: dict, s0: int, s1: int):
        """("METRIC of VALUE" | "VALUE METRIC" | "VALUE ... in METRIC"), source."""
        i, j = v["start"], v["end"]
        k, steps = i - 1, 0
        while k >= s0 and steps <= 5:
            ent = view.ent_at[k]
            if ent is not None and ent["label"] == "Metric":
                return ent, "before"
            if ent is not None:
                break
            w = view.lowers[k]
            if w not in _CONNECT_BEFORE and not w.startswith(("significantly", "substantially")):
                break
            k -= 1
            steps += 1
        k, steps = j, 0
        while k < s1 and steps <= 4:
            ent = view.ent_at[k]
            if ent is not None and ent["label"] == "Metric":
                return ent, "after"
            if ent is not None:
                break
            w = view.lowers[k]
            if w not in _CONNECT_AFTER and w not in _GAIN_AFTER:
                break
            k += 1
            steps += 1
        return None, None

    # --- 3: the sentence's metric
    @staticmethod
    def sentence_metric(view, s0: int, s1: int):
        """"in terms of METRIC" / a single metric named in the sentence."""
        metrics = [e for e in view.ents if s0 <= e["start"] < s1 and e["label"] == "Metric"]
        for e in metrics:
            if _in_terms_of(view, e["start"]):
                return e
        if len({view.key(e) for e in metrics}) == 1:
            return metrics[0]
        return None

    @staticmethod
    def sentence_metric_applies(view, metric: dict, v: dict, vals: list[dict]) -> bool:
        """"in terms of METRIC" covers the sentence; otherwise the metric must come after the value
        with no other value in between ("gains of 2 points in top-1 accuracy")."""
        k = metric["start"]
        if _in_terms_of(view, k):
            return True
        if k < v["end"]:
            return False
        return not any(v["end"] <= o["start"] < k for o in vals if o is not v)

    # --- 4 and 5: a measure the text writes in its own words
    def infer(self, view, v: dict, s0: int, s1: int) -> str | None:
        if v["kind"] == "cost":
            name = self._cost_metric(view, v, s0, s1)
            if name:
                return name
        for phrase in (self._phrase_before(view, v, s0), self._phrase_after(view, v, s1),
                       self._verb_object(view, v, s0)):
            if phrase:
                return phrase
        return None

    def _cost_metric(self, view, v: dict, s0: int, s1: int) -> str | None:
        j = v["end"]
        nxt = [view.lower(k) for k in range(j, min(s1, j + 4)) if view.lower(k) not in ("%", "\\%")]
        if v.get("dimension"):
            clause = [view.lower(k) for k in range(view.clause_start(v["start"], s0), min(s1, j + 4))]
            for clues, name in self.cost_metrics.get(v["dimension"], []):
                if "*" in clues or any(w in clues for w in clause):
                    return name
            return None
        if nxt:
            kind_metric = self.comparatives.get(nxt[0])
            if kind_metric and kind_metric[1] != "@noun":
                return kind_metric[1]
            if kind_metric and len(nxt) > 1:
                noun = nxt[2] if nxt[1] in ("in", "of") and len(nxt) > 2 else nxt[1]
                if noun in self.cost_nouns:
                    return self.cost_nouns[noun]
        before = [view.lower(k) for k in range(max(s0, v["start"] - 4), v["start"])]
        if any(w in ("speedup", "speed-up", "speedups", "acceleration", "accelerates", "faster") for w in before):
            return "speed-up"
        if any(w in ("compression", "compresses") for w in before):
            return "compression rate"
        return None

    def _phrase_before(self, view, v: dict, s0: int) -> str | None:
        """"<measure phrase> of VALUE" / "<measure phrase> is VALUE" / "<phrase>: VALUE"."""
        k = v["start"] - 1
        hedges = ("about", "around", "approximately", "roughly", "nearly", "almost", "only", "just", "over",
                  "up", "to", "at", "least", "more", "than", "a", "an", "as", "high", "low", "as")
        while k >= s0 and view.lower(k) in hedges:
            k -= 1
        if k < s0 or view.lower(k) not in ("of", "is", "was", "reaches", "reached", "achieves", "=", ":", "by"):
            return None
        if view.lower(k) == "by":
            return None  # "improves X by VALUE": the verb's object, below
        return self._phrase_ending_at(view, k - 1, s0)

    def _phrase_after(self, view, v: dict, s1: int) -> str | None:
        """"VALUE <measure phrase>" ("35% lower error rate", "71.8% request accuracy",
        "a 4.1% relative improvement in success rate")."""
        k = v["end"]
        skip = ("%", "\\%", "absolute", "relative", "higher", "lower", "better", "more", "less", "fewer",
                "improvement", "improvements", "gain", "gains", "increase", "decrease", "reduction", "drop",
                "boost", "in", "on", "average", "mean", "points", "point", "pp", "pts", "percentage")
        start = k
        while k < s1 and view.lower(k) in skip and k - start < 5:
            k += 1
        # the phrase: up to four plain words, ending in a measure head
        best = None
        for end in range(k, min(s1, k + 4)):
            w = view.lower(end)
            if w in _PHRASE_BREAKS or view.ent_at[end] is not None and view.ent_at[end]["label"] != "Metric":
                break
            if w in self.heads and w not in self.not_measures:
                best = end
        if best is None:
            return None
        return self._name(view, k, best + 1)

    def _verb_object(self, view, v: dict, s0: int) -> str | None:
        """"improves the request accuracy by 5.5%", "reduces the error rate by 35%"."""
        k = v["start"] - 1
        while k >= s0 and view.lower(k) in ("about", "around", "approximately", "nearly", "almost", "up", "to",
                                            "over", "more", "than", "an", "a", "average", "of", "as", "much"):
            k -= 1
        if k < s0 or view.lower(k) != "by":
            return None
        return self._phrase_ending_at(view, k - 1, s0)

    def _phrase_ending_at(self, view, end: int, s0: int) -> str | None:
        """The measure phrase whose head is token ``end`` (up to four words back)."""
        if end < s0:
            return None
        w = view.lower(end)
        ent = view.ent_at[end]
        if ent is not None:
            return None  # a named thing, not a measure ("CIFAR-10 of 5%")
        if w not in self.heads or w in self.not_measures:
            return None
        start = end
        while start - 1 >= s0 and end - start < 3:
            prev = view.lower(start - 1)
            if prev in _PHRASE_BREAKS or prev in _LEADING or view.ent_at[start - 1] is not None \
                    or prev[:1].isdigit():
                break
            start -= 1
        return self._name(view, start, end + 1)

    def _name(self, view, start: int, end: int) -> str | None:
        words = [view.text(k) for k in range(start, end)]
        while words and words[0].lower() in _LEADING:
            words.pop(0)
        if not words or words[-1].lower() in self.not_measures:
            return None
        text = " ".join(words)
        return text if any(c.isupper() for c in text[1:]) else text.lower()


def _in_terms_of(view, k: int) -> bool:
    return (view.lower(k - 1) == "of" and view.lower(k - 2) == "terms") or \
        (view.lower(k - 1) == "the" and view.lower(k - 2) == "of" and view.lower(k - 3) == "terms")
