"""Reported results: values tied to a metric, dataset, method and setting (``kg_results`` component).

One sentence at a time, in five stages, each its own module:

1. :mod:`.values`       find the numbers, drop references, years, counts and sizes;
2. :mod:`.kinds`        score, improvement or cost (and whether the value is a prior system's);
3. :mod:`.metrics`      what it measures: a Metric mention, the sentence's metric, a free-form
                        measure phrase, or what a cost's unit says;
4. :mod:`.datasets`     what it is measured on, in the sentence or the abstract's focus;
5. :mod:`.attribution`  whose number it is (a named method, or the paper's own) and its setting.

A value with neither a metric nor the marks of a result (a percentage in a result sentence, a gain
or cost cue) is dropped. Each result keeps its evidence sentence and character offsets.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from extractors.components.gazetteer import metric_table
from extractors.components.lexicon import drop_views
from extractors.results import attribution, datasets as ds
from extractors.results.kinds import KindClassifier, share_coordination
from extractors.results.metrics import MetricAttacher, is_cost_metric
from extractors.results.values import NonResults, find_values, measures
from extractors.results.view import ResultView

if not Doc.has_extension("kg_results"):
    Doc.set_extension("kg_results", default=None)

KINDS = ("score", "improvement", "cost")
_LOWER_IS_BETTER = ("error", "loss", "perplexity", "latency", "time", "distance", "memory", "parameters", "cost",
                    "flops", "energy", "size", "forgetting", "regret", "divergence", "wer", "cer", "fid", "mse",
                    "mae", "rmse", "queries", "samples")
_BASELINE_MARKERS = frozenset({"over", "than", "against", "versus", "vs", "vs.", "to"})


@Language.factory("kg_results")
def make_results(nlp: Language, name: str):
    return ResultExtractor(nlp)


class ResultExtractor:
    def __init__(self, nlp: Language):
        self.metrics = metric_table()
        self.non_results = NonResults()
        self.kinds = KindClassifier()
        self.attach_metric = MetricAttacher()
        self.settings = attribution.Settings()
        self.hyperparameters = frozenset(measures().get("hyperparameters", []))
        self.count_nouns = self.non_results.count_nouns - {"points", "point"}

    def __call__(self, doc: Doc) -> Doc:
        view = ResultView(doc)
        values = find_values(doc, view)
        doc.spans["metric_values"] = [Span(doc, v["start"], v["end"], label=v["shape"]) for v in values]
        primary = _primary(view, doc._.kg_primary)
        focus = ds.DocumentFocus(view)
        by_sent: dict[int, list[dict]] = {}
        for v in values:
            by_sent.setdefault(view.sent_of[v["start"]], []).append(v)
        results: list[dict] = []
        for sid, vals in by_sent.items():
            results += self._sentence(view, sid, vals, primary, focus)
        doc._.kg_results = results
        drop_views(doc)
        for group in ("kg_cues", "kg_anchors", "kg_values"):  # intermediate matches, not worth serialising
            if group in doc.spans:
                del doc.spans[group]
        return doc

    # ------------------------------------------------------------- one sentence
    def _sentence(self, view: ResultView, sid: int, vals: list[dict], primary, focus) -> list[dict]:
        s0, s1 = view.bounds[sid]
        kept = self._classify(view, vals, s0, s1)
        if not kept:
            return []
        groups = _coordinated(view, kept)
        for group in groups:
            share_coordination(view, group)
        kept = [v for v in kept if v["kind"] != "multiplier"]
        groups = [g for g in ([v for v in g if v["kind"] != "multiplier"] for g in groups) if g]
        datasets = view.ents_in(s0, s1, "Dataset")
        settings = self.settings.in_sentence(view, s0, s1)
        respectively = any(view.lower(k) == "respectively" for k in range(s0, s1))
        for group in groups:
            if len(group) < 2:
                continue
            if respectively:
                ds.zip_respectively(view, group, datasets)
                attribution.zip_methods(view, group, s0, s1)
                self._zip_metrics(view, group, s0)
                if len(settings) == len(group):
                    for v, (_, name) in zip(group, settings):
                        v["setting"] = name
            else:  # "gains of 14.4%, 18.2% and 13.1% on A, B and C": a list meets a list
                ds.zip_lists(view, group, datasets)
        _mirror_earlier_list(groups)
        lead = ds.leading_dataset(view, s0, s1)
        out = []
        for v in kept:
            if v.get("setting") is None:
                v["setting"] = attribution.nearest_setting(settings, v, view) if settings else \
                    self.settings.language(view, s0, s1)
            found = [v["dataset_ent"]] if v.get("dataset_ent") is not None else \
                ds.datasets_for(view, v, s0, s1, datasets, lead)
            if not found and not datasets and v["kind"] != "cost" and (v.get("metric") or v["kind"] == "score"):
                focused = focus.at(sid)
                found = [focused] if focused is not None else []
            for d in found or [None]:
                out.append(self._record(view, v, d, s0, s1, primary))
        return out

    def _classify(self, view: ResultView, vals: list[dict], s0: int, s1: int) -> list[dict]:
        """Stages 1-3 for the sentence's values: drop non-results, decide kind and metric."""
        sent_metric = self.attach_metric.sentence_metric(view, s0, s1)
        kept, prev = [], None
        for v in vals:
            if self.non_results.reference(view, v, s0, s1):
                prev = None
                continue
            metric_ent, metric_src = self.attach_metric.near(view, v, s0, s1)
            if metric_src == "before" and view.lower(v["end"]) in self.count_nouns:
                metric_ent, metric_src = None, None  # "600M FLOPs with 8 GPUs": 8 counts GPUs
            phrase = self.attach_metric.adjacent(view, v, s0, s1)
            if self.non_results.count(view, v, s0, s1, metric_ent is not None or phrase is not None):
                prev = None
                continue
            kind = self.kinds.classify(view, v, s0, s1, attribution.method_subject(view, v, s0))
            if kind is None:
                prev = None
                continue
            v["kind"] = kind
            if phrase is not None and metric_ent is None and _phrase_is_entity(view, phrase):
                metric_ent, metric_src = view.ent_at[phrase[2] - 1], "after" if phrase[1] >= v["end"] else "before"
            elif phrase is not None and (metric_ent is None or phrase[1] <= metric_ent["start"] < phrase[2]
                                         and not _phrase_is_entity(view, phrase)
                                         or (phrase[1] >= v["end"] and metric_src == "before")):
                metric_ent, metric_src = None, "phrase"  # "88.1% joint goal accuracy": the whole phrase
            elif metric_ent is None and prev is not None and (prev.get("metric_ent") is not None or prev.get("metric")) \
                    and view.connected(prev["end"], v["start"], loose=True) and prev["unit"] == v["unit"]:
                metric_ent, metric_src = prev.get("metric_ent"), "carry"
            elif metric_ent is None and (obj := self.attach_metric.verb_object(view, v, s0)) is not None:
                phrase, metric_src = obj, "object"  # "improving the efficiency of X by 6.0x"
            elif metric_ent is None and sent_metric is not None and kind != "cost" and \
                    (v["unit"] == "%" or kind != "score" or v["shape"] in ("ARROW", "RANGE")) and \
                    self.attach_metric.sentence_metric_applies(view, sent_metric, v, vals):
                metric_ent, metric_src = sent_metric, "sentence"
            if metric_ent is None and metric_src is None and phrase is None and kept and kept[-1].get("metric") \
                    and view.lower(v["end"]) in ("points", "point", "pts", "pp"):
                metric_src = "points"  # "22.5 BLEU points ..., 5.5 points more than X": the same measure
            v["metric_ent"], v["metric_src"] = metric_ent, metric_src
            if metric_src in ("phrase", "object"):
                v["metric"] = self._free_name(v, phrase[0])
            elif metric_src == "carry" and metric_ent is None:
                v["metric"] = prev["metric"]
            elif metric_src == "points":
                v["metric"] = kept[-1]["metric"]
            else:
                v["metric"] = self._metric_name(view, v, s0, s1)
            if v["kind"] in ("improvement", "multiplier") and is_cost_metric(v["metric"]):
                v["kind"] = "cost"  # "throughput improved by 1.6x", "improving the efficiency by 6.0x"
            elif v["kind"] == "multiplier" and v["metric"] and v["metric_src"] in ("phrase", "object", "before", "after"):
                v["kind"] = "improvement"  # "doubles the precision", "improves BLEU by 1.5x"
            prev = v
            if self._keep(view, v):
                kept.append(v)
        _share_trailing_metric(view, kept)
        return kept

    def _zip_metrics(self, view: ResultView, group: list[dict], s0: int) -> None:
        """"the throughput and latency are improved by 1.6x and 1.5x, respectively"."""
        if any(v.get("metric_src") in ("before", "after", "phrase") for v in group):
            return
        metrics, keys = [], []
        for e in view.ents_in(s0, group[0]["start"], "Metric"):
            if view.key(e) not in keys:
                keys.append(view.key(e))
                metrics.append(e)
        if len(metrics) != len(group):
            return
        for v, e in zip(group, metrics):
            v["metric_ent"], v["metric_src"] = e, "respectively"
            v["metric"] = self.metrics.canonical(view.group_name(e)) or view.group_name(e)
            if is_cost_metric(v["metric"]) and v["kind"] == "improvement":
                v["kind"] = "cost"

    def _free_name(self, v: dict, name: str | None) -> str | None:
        if not name:
            return None
        if name.lower() in self.hyperparameters:
            v["hyperparameter"] = True
            return None
        return self.attach_metric.canonical(self.metrics, name)

    def _metric_name(self, view: ResultView, v: dict, s0: int, s1: int) -> str | None:
        ent = v["metric_ent"]
        if ent is not None:
            name = view.group_name(ent)
            name = self.metrics.canonical(name) or name
            if v["kind"] == "cost" and not is_cost_metric(name, efficiency=False):
                v["metric_ent"] = None  # "reaching target accuracy 3x faster": a speed-up, not an accuracy
            else:
                return name
        inferred = self.attach_metric.infer(view, v, s0, s1)
        if inferred:
            v["metric_src"] = "inferred"
        return self._free_name(v, inferred)

    @staticmethod
    def _keep(view: ResultView, v: dict) -> bool:
        if v.get("hyperparameter"):
            return False
        if v["metric"] is not None or v["kind"] == "cost" and v["shape"] == "QTY":
            return True
        if v["unit"] == "%" and (v["kind"] != "score" or view.result_sentence(v["start"])):
            return True
        if v["unit"] == "x" and v["kind"] in ("cost", "multiplier"):
            return True
        if v["unit"] == "x" and v["kind"] == "improvement":
            # "3.5x improvement", "10x improved learning efficiency"; not "a 2.3x increase in data"
            lo, hi = max(0, v["start"] - 6), min(len(view.lowers), v["end"] + 4)
            return any(w in ("improvement", "improvements", "improved", "improves", "efficiency", "performance",
                             "accuracy", "speed", "throughput", "gain", "gains", "better", "reduction", "lower",
                             "fewer", "less", "memory", "compression", "cheaper")
                       for w in view.lowers[lo:hi])
        if v["kind"] == "improvement" and view.lower(v["end"]) in ("points", "point", "pts", "pp", "percentage"):
            return True
        return v["kind"] == "improvement" and bool(v.get("qualifier")) and v["unit"] in ("", "%")

    # ------------------------------------------------------------- the record
    def _record(self, view: ResultView, v: dict, dataset_ent, s0: int, s1: int, primary) -> dict:
        doc = view.doc
        metric = v["metric"]
        method, own = attribution.attribute(view, v, s0, primary, s1)
        c0, c1 = view.char_span(s0, s1)
        raw = doc.text[c0:c1]
        evidence = raw.strip()
        start_char = c0 + (len(raw) - len(raw.lstrip()))
        conf = 0.55
        if metric:
            conf += 0.2 if v.get("metric_src") in ("before", "after") else 0.1
        if dataset_ent is not None:
            conf += 0.1
        if method is not None:
            conf += 0.05
        value = v["value"]
        text_start, text_end = view.char_span(v["start"], v["end"])
        result = {
            "method": method,
            "own": own,
            "dataset": ds.variant_name(view, dataset_ent) if dataset_ent is not None else None,
            "metric": metric,
            "value": int(value) if float(value).is_integer() and v["shape"] != "PCT"
            and "." not in view.texts[v["start"]] else value,
            "unit": v["unit"],
            "setting": v.get("setting"),
            "kind": v["kind"],
            "evidence": evidence,
            "char_start": start_char,
            "char_end": start_char + len(evidence),
            "confidence": round(min(conf, 0.95), 2),
            "text": doc.text[text_start:text_end],
        }
        if v.get("value_min") is not None:
            result["value_min"] = v["value_min"]
        if v.get("previous") is not None:  # "from 70.1% to 75.3%": the starting point, so the gain is known
            result["previous"] = v["previous"]
        if v.get("qualifier"):
            result["qualifier"] = v["qualifier"]
        if v["kind"] != "score":
            baseline = _baseline(view, v, s0, s1)
            if baseline:
                result["baseline"] = baseline
        direction = self.metrics.direction(metric) if metric else None
        if metric and not direction:
            direction = "lower" if any(w in metric.lower() for w in _LOWER_IS_BETTER) else "higher"
        if direction:
            result["direction"] = direction
        return result


def _mirror_earlier_list(groups: list[list[dict]]) -> None:
    """"GLAD obtains 88.1% joint goal accuracy and 97.1% request accuracy, outperforming prior work by
    3.7% and 5.5%": gains with no measure of their own mirror the sentence's earlier list of scores
    (same length, in order); a lone gain takes the measure of the score just before it."""
    for n, group in enumerate(groups):
        if any(v.get("metric") for v in group) or any(v["kind"] != "improvement" for v in group):
            continue
        scores = [u for g in groups[:n] for u in g if u["kind"] == "score"]
        earlier = scores[-len(group):]
        if len(earlier) == len(group) and all(u.get("metric") for u in earlier):
            for v, u in zip(group, earlier):
                v["metric"], v["metric_src"] = u["metric"], "mirror"
                if v.get("dataset_ent") is None and u.get("dataset_ent") is not None:
                    v["dataset_ent"] = u["dataset_ent"]


def _phrase_is_entity(view: ResultView, phrase: tuple[str, int, int]) -> bool:
    """A measure phrase that is exactly one Metric mention: the mention (and its canonical name) wins."""
    ent = view.ent_at[phrase[2] - 1]
    return ent is not None and ent["label"] == "Metric" and ent["start"] == phrase[1] and ent["end"] == phrase[2]


def _share_trailing_metric(view: ResultView, kept: list[dict]) -> None:
    """"14.4%, 18.2% and 13.1% mAP": the metric after the last value of a list covers the list."""
    for group in _coordinated(view, kept):
        last = group[-1]
        if len(group) < 2 or not last.get("metric") or last.get("metric_src") not in ("after", "phrase"):
            continue
        for v in group[:-1]:
            if v.get("metric") is None and v["unit"] == last["unit"]:
                v["metric"], v["metric_src"] = last["metric"], "list"


def _primary(view: ResultView, name: str | None) -> dict | None:
    if not name:
        return None
    for g in view.groups:
        if g["label"] == "Method" and g["name"] == name:
            return g
    return None


def _baseline(view: ResultView, v: dict, s0: int, s1: int) -> str | None:
    """What an improvement is measured against, when the clause names it ("+2.1 over BERT")."""
    k = v["end"]
    while k < min(s1, v["end"] + 10):
        if view.lower(k) in (";", "while", "whereas", "but") or view.lower(k)[:1].isdigit():
            break  # another clause, or another value's comparison
        if view.lower(k) in _BASELINE_MARKERS or view.lower(k) == "compared":
            for x in range(k + 1, min(s1, k + 4)):
                ent = view.ent_at[x]
                if ent is not None and ent["label"] == "Method":
                    return view.group_name(ent)
        k += 1
    return None


def _coordinated(view: ResultView, values: list[dict]) -> list[list[dict]]:
    """Values joined by "and" / "," / "to" into one coordination group."""
    groups: list[list[dict]] = []
    for v in values:
        if groups and view.connected(groups[-1][-1]["end"], v["start"], loose=True) and v.get("role") != "to" \
                and groups[-1][-1].get("role") != "from" \
                and "respectively" not in view.lowers[groups[-1][-1]["end"]:v["start"]]:  # it closes a list
            groups[-1].append(v)
        else:
            groups.append([v])
    return groups
