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
        self.synonyms = {k.lower(): v for k, v in m.get("synonyms", {}).items()}
        self.generic_modifiers = frozenset(m.get("generic_modifiers", []))

    # --- 1: a Metric mention next to the value
    @staticmethod
    def near(view, v: dict, s0: int, s1: int):
        """("METRIC of VALUE" | "VALUE METRIC" | "VALUE ... in METRIC"), source."""
        i, j = v["start"], v["end"]
        ent = view.ent_at[j] if j < s1 else None
        if ent is not None and ent["label"] == "Metric":
            return ent, "after"  # "83.1% F1" before "... accuracy and 83.1% F1"
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
    def adjacent(self, view, v: dict, s0: int, s1: int) -> tuple[str, int, int] | None:
        """A measure phrase right after or before the value: "88.1% joint goal accuracy", "an
        intersection-over-union score of 71.8%", "rank-1 accuracy is improved from 55.3%"."""
        return self._phrase_after(view, v, s1) or self._phrase_before(view, v, s0)

    def infer(self, view, v: dict, s0: int, s1: int) -> str | None:
        """A measure for a value no Metric mention or adjacent phrase names."""
        if v["kind"] == "cost" or v.get("dimension") == "quality":
            name = self._cost_metric(view, v, s0, s1)
            if name:
                return name
        found = self.verb_object(view, v, s0)
        return found[0] if found else None

    def _cost_metric(self, view, v: dict, s0: int, s1: int) -> str | None:
        j = v["end"]
        nxt = [view.lower(k) for k in range(j, min(s1, j + 4)) if view.lower(k) not in ("%", "\\%")]
        if v.get("dimension"):
            sentence = [view.lower(k) for k in range(s0, s1)]
            for clues, name in self.cost_metrics.get(v["dimension"], []):
                if "*" in clues or any(w in clues for w in sentence):
                    return self.synonyms.get(v["unit"].lower(), v["unit"]) if name == "@unit" else name
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

    def _phrase_before(self, view, v: dict, s0: int) -> tuple[str, int, int] | None:
        """"<measure phrase> of VALUE", "<phrase> is (improved from) VALUE", "<phrase>: VALUE"."""
        k = v["start"] - 1
        hedges = ("about", "around", "approximately", "roughly", "nearly", "almost", "only", "just", "over",
                  "up", "to", "at", "least", "more", "than", "a", "an", "as", "high", "low", "from",
                  "improved", "increased", "reduced", "decreased", "boosted", "raised", "lowered", "dropped",
                  "rises", "rose", "falls", "fell", "drops", "goes", "went", "jumps", "significantly",
                  "substantially", "further", "been", "has", "have")
        while k >= s0 and view.lower(k) in hedges and v["start"] - k <= 6:
            k -= 1
        if k < s0 or view.lower(k) not in ("of", "is", "was", "are", "were", "reaches", "reached", "achieves",
                                            "=", ":"):
            return None
        return self._phrase_ending_at(view, k - 1, s0)

    def _phrase_after(self, view, v: dict, s1: int) -> tuple[str, int, int] | None:
        """"VALUE <measure phrase>" ("35% lower error rate", "71.8% request accuracy",
        "a 4.1% relative improvement in success rate")."""
        k = v["end"]
        skip = ("%", "\\%", "absolute", "relative", "higher", "lower", "better", "more", "less", "fewer",
                "improvement", "improvements", "gain", "gains", "increase", "decrease", "reduction", "drop",
                "boost", "in", "on", "average", "mean", "points", "point", "pp", "pts", "percentage", "the")
        start = k
        while k < s1 and view.lower(k) in skip and k - start < 5:
            ent = view.ent_at[k]
            if ent is not None and ent["label"] == "Metric":
                break
            k += 1
        best = None
        for end in range(k, min(s1, k + 4)):
            w = view.lower(end)
            ent = view.ent_at[end]
            if ent is not None and ent["label"] != "Metric":
                break
            if ent is None and w in _PHRASE_BREAKS:
                break
            if ent is not None and ent["label"] == "Metric" and ent["end"] - 1 == end or \
                    ent is None and self._head(w):
                best = end
        if best is None:
            return None
        found = self._name(view, k, best + 1)
        return (found, k, best + 1) if found else None

    def verb_object(self, view, v: dict, s0: int) -> tuple[str, int, int] | None:
        """"improves the request accuracy by 5.5%", "reduces the error rate by 35%", "improves the
        word-level perplexities on PTB to 51.1": the closest measure noun of the clause before the
        preposition."""
        k = v["start"] - 1
        while k >= s0 and view.lower(k) in ("about", "around", "approximately", "nearly", "almost", "up", "to",
                                            "over", "more", "than", "an", "a", "average", "of", "as", "much"):
            if view.lower(k) == "to" and view.lower(k - 1) != "up":
                break
            k -= 1
        if k < s0 or view.lower(k) not in ("by", "to"):
            return None
        c0 = max(s0, k - 14)
        for end in range(k - 1, c0 - 1, -1):
            w = view.lower(end)
            if w in (";", ":", ".") or (w == "," and end < k - 1 and view.lower(end + 1) not in ("and",)):
                break
            ent = view.ent_at[end]
            if ent is not None and ent["label"] == "Metric":
                return self._phrase_ending_at(view, end, s0)
            if ent is None and self._head(w):
                return self._phrase_ending_at(view, end, s0)
        return None

    def _head(self, w: str) -> bool:
        w = _singular(w)
        return w in self.heads and w not in self.not_measures

    def _phrase_ending_at(self, view, end: int, s0: int) -> tuple[str, int, int] | None:
        """The measure phrase whose head is token ``end`` (up to four words back); a Metric
        mention counts as part of it."""
        if end < s0:
            return None
        ent = view.ent_at[end]
        if ent is not None and ent["label"] != "Metric":
            return None  # a named thing, not a measure ("CIFAR-10 of 5%")
        if ent is None and not self._head(view.lower(end)):
            return None
        start = ent["start"] if ent is not None else end
        while start - 1 >= s0 and end - start < 3:
            prev_ent = view.ent_at[start - 1]
            if prev_ent is not None:
                if prev_ent["label"] != "Metric":
                    break
                start = prev_ent["start"]
                continue
            prev = view.lower(start - 1)
            if prev in _PHRASE_BREAKS or prev in _LEADING or prev[:1].isdigit():
                break
            start -= 1
        found = self._name(view, start, end + 1)
        return (found, start, end + 1) if found else None

    def _name(self, view, start: int, end: int) -> str | None:
        while start < end and view.lower(start) in _LEADING and view.ent_at[start] is None:
            start += 1
        if start >= end or _singular(view.lower(end - 1)) in self.not_measures:
            return None
        c0, c1 = view.char_span(start, end)
        text = " ".join(view.doc.text[c0:c1].split())
        last = text.split()[-1]
        if last.islower():
            text = text[: len(text) - len(last)] + _singular(last)
        return text if any(c.isupper() for c in text[1:]) else text.lower()

    def canonical(self, table, name: str) -> str:
        """The metric table's name for a free-form phrase: whole, through the synonyms, without a
        trailing "loss"/"drop" after a measure ("top-1 accuracy loss"), then without generic
        modifiers ("word-level perplexity" -> Perplexity, "top-1 testing accuracy" -> Top-1 Accuracy)."""
        words = name.split()
        if len(words) > 1 and words[-1].lower() in _CHANGE_WORDS and self._head(words[-2].lower()):
            words = words[:-1]
        candidates = [words]
        plain = [w for w in words if w.lower() not in self.generic_modifiers]
        if plain and plain != words:
            candidates.append(plain)
        for cand in candidates:
            phrase = " ".join(cand)
            found = self.synonyms.get(phrase.lower()) or table.canonical(phrase)
            if found:
                return found
        return " ".join(words)


_CHANGE_WORDS = frozenset({"loss", "drop", "degradation", "improvement", "gain", "reduction", "increase", "decrease"})


#: words that make a metric name an efficiency measure (a value measured by it is a cost)
COST_METRIC_WORDS = ("flops", "fps", "latency", "memory", "runtime", "speed", "throughput", "time", "parameters",
                     "size", "energy", "compression")


def is_cost_metric(name: str | None, efficiency: bool = True) -> bool:
    """"Latency", "speed-up", "model size" ... (with ``efficiency``, "efficiency" too)."""
    words = COST_METRIC_WORDS + (("efficiency", "speed-up") if efficiency else ())
    return bool(name) and any(w in name.lower() for w in words)


def _singular(w: str) -> str:
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("rates", "scores", "errors", "distances", "ratios", "gaps", "rewards", "returns", "losses",
                   "times", "costs")):
        return w[:-2] if w.endswith("sses") else w[:-1]
    return w


def _in_terms_of(view, k: int) -> bool:
    return (view.lower(k - 1) == "of" and view.lower(k - 2) == "terms") or \
        (view.lower(k - 1) == "the" and view.lower(k - 2) == "of" and view.lower(k - 3) == "terms")
