"""Reported results: metric values tied to a method, dataset, metric and setting
(``kg_results`` component).

Numbers are found by the Matcher patterns in ``extractors/patterns/value_patterns.jsonl``
(percentages, bare numbers, ``3.2x``/``48times``, ``23.5->26.9``, ranges) and
then kept or dropped by their context:

* **kept** when tied to a metric ("an AP of 50.6%", "6.72 PPL", "a 2.3% drop in
  WER", "in terms of RMSE"), or when a percentage / multiplier carries an
  improvement or speed cue ("improvements of 2.16%", "2+ points", "3.2x faster");
* **dropped** when the number is a count or size ("20,000 images", "100
  categories", "15B parameters" - a unit-suffixed size is not even matched), a
  proportion of data ("10% labeled data", "20% of"), a year, a section/figure
  number, a citation ``[3]`` or an enumeration ``(1)``, or part of a name
  ("CIFAR-10", "Middleburry 2014").

Each kept value gets:

``metric``   the Metric mention before it ("METRIC of VALUE", "METRIC falls from
             X to Y") or right after it ("VALUE METRIC"), a sentence-wide "in
             terms of METRIC", or the previous value's metric in a coordination
             ("50.6% on COCO and 40.0% on LVIS"); canonicalised by the metric table
``dataset``  "VALUE on DATASET", a dataset just before the value in the clause, a
             sentence-initial "On DATASET,", the only dataset of the sentence, or
             by position in a "respectively" list
``setting``  "under 1-shot and 5-shot settings, respectively" (zipped),
             zero-shot / fine-tuned / few-shot words, "For Hindi," languages
``method``   a Method named as the subject before the value; otherwise the
             paper's primary method (None when the paper introduces none)
``kind``     ``baseline`` (the "from" side of "from X to Y" / "X->Y", values of
             other or generic prior methods), ``speedup`` (multipliers with speed
             words), ``improvement`` (gain cues, "+", "by", "points"), else ``score``
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from extractors.components.gazetteer import metric_table
from extractors.components.lexicon import classify_text, doc_views, drop_views, lexicon_sets

if not Doc.has_extension("kg_results"):
    Doc.set_extension("kg_results", default=None)

_NUMBER = re.compile(r"[+\-−]?\d[\d,]*(?:\.\d+)?")
_CONNECT_BEFORE = lexicon_sets()["metric_connectors_before"]
_CONNECT_AFTER = lexicon_sets()["metric_connectors_after"]
_SECTION_WORDS = lexicon_sets()["non_value_prefixes"]
_UNITS = lexicon_sets()["value_units"]
_SPEED_METRIC_WORDS = lexicon_sets()["speed_metric_words"]
_SUBJECT_VERBS = lexicon_sets()["subject_verbs"]
_SPEED_AFTER = lexicon_sets()["speed_words_after"]


@Language.factory("kg_results")
def make_results(nlp: Language, name: str):
    return ResultExtractor(nlp)


class ResultExtractor:
    def __init__(self, nlp: Language):
        self.sets = lexicon_sets()
        self.metrics = metric_table()
        s = self.sets
        self.count_nouns = s["count_nouns"]
        self.ok_after = s["value_ok_after"]
        self.impr_before = s["improvement_before"]
        self.impr_after = s["improvement_after"]
        self.speed_after = s["speed_after"] | _SPEED_AFTER
        self.speed_before = s["speed_before"]
        self.setting_words = s["setting_words"]
        self.setting_nouns = s["setting_nouns"]
        self.languages = s["languages"]
        self.baseline_words = s["baseline_subject_words"]
        self.from_to_verbs = s["from_to_verbs"]
        self.size_after = s["size_after"]

    def __call__(self, doc: Doc) -> Doc:
        view = _ResultView(doc)
        values = self._values(doc, view)
        doc.spans["metric_values"] = [Span(doc, v["start"], v["end"], label=v["shape"]) for v in values]
        results: list[dict] = []
        by_sent: dict[int, list[dict]] = {}
        for v in values:
            by_sent.setdefault(view.sent_of[v["start"]], []).append(v)
        for sid, vals in by_sent.items():
            results += self._sentence(doc, view, sid, vals)
        doc._.kg_results = results
        drop_views(doc)
        for group in ("kg_cues", "kg_anchors", "kg_values"):  # intermediate matches, not worth serialising
            if group in doc.spans:
                del doc.spans[group]
        return doc

    # --------------------------------------------------------------- values
    def _values(self, doc: Doc, view) -> list[dict]:
        matches = list(doc.spans.get("kg_values", []))  # from kg_matcher
        rank = {"RANGE": 5, "ARROW": 5, "MULT": 3, "PCT": 2, "NUM": 1}
        matches.sort(key=lambda s: (-rank[s.label_], -(len(s)), s.start))
        taken = set()
        values = []
        for span in matches:
            if any(k in taken for k in range(span.start, span.end)):
                continue
            if span.start < view.title_end:
                continue
            if view.inside_entity(span.start, span.end):
                continue
            parsed = self._parse(span)
            if parsed is None:
                continue
            for k in range(span.start, span.end):
                taken.add(k)
            values.extend(parsed)
        values.sort(key=lambda v: v["start"])
        return values

    def _parse(self, span: Span) -> list[dict] | None:
        text = span.text
        shape = span.label_
        nums = [_to_float(m.group()) for m in _NUMBER.finditer(text.replace(" ", ""))]
        nums = [n for n in nums if n is not None]
        if not nums:
            return None
        unit = "%" if "%" in text else ""
        qualifier = None
        if text.lstrip().startswith((">", "+")) and shape in ("NUM", "PCT") or text.rstrip().endswith("+"):
            qualifier = ">=" if text.rstrip().endswith("+") else ">"
        signed = text.lstrip().lstrip(">~≈<").startswith("+")
        base = {"start": span.start, "end": span.end, "shape": shape, "unit": unit, "qualifier": qualifier,
                "signed": signed}
        if shape == "MULT":
            base["unit"] = "x"
        if shape == "ARROW":
            a, b = abs(nums[0]), abs(nums[-1])
            return [dict(base, value=a, role="from"), dict(base, value=b, role="to")]
        if shape == "RANGE":
            first = span[0].lower_
            a, b = abs(nums[0]), abs(nums[-1])
            if first == "from":
                return [dict(base, value=a, role="from", start=span.start + 1), dict(base, value=b, role="to")]
            return [dict(base, value=a, value_max=b, role="range")]
        if shape == "MULT" and len(nums) > 1:
            return [dict(base, value=abs(nums[0]), value_max=abs(nums[-1]), role="range")]
        value = nums[0]
        if shape == "NUM" and not signed:
            value = abs(value)
        return [dict(base, value=value, role="single")]

    # ------------------------------------------------------------- sentences
    def _sentence(self, doc: Doc, view, sid: int, vals: list[dict]) -> list[dict]:
        s0, s1 = view.bounds[sid]
        out = []
        sent_metric = view.sentence_metric(s0, s1)
        datasets = view.ents_in(s0, s1, "Dataset")
        settings = self._settings(view, s0, s1)
        respectively = any(view.lower(k) == "respectively" for k in range(s0, s1))
        lead_dataset = view.leading_dataset(s0, s1)
        kept = []
        prev = None
        for v in vals:
            ctx = self._context(view, v, s0, s1)
            if ctx is None:
                prev = None
                continue
            metric_ent = ctx["metric"]
            if metric_ent is None and prev is not None and prev.get("metric_ent") is not None and \
                    view.connected(prev["end"], v["start"], loose=True) and prev["unit"] == v["unit"]:
                metric_ent = prev["metric_ent"]
                ctx["metric_src"] = "carry"
            if metric_ent is None and sent_metric is not None and (v["unit"] == "%" or ctx["kind"] != "score"
                                                                   or v["shape"] in ("ARROW", "RANGE")) \
                    and ctx["kind"] != "speedup" and view.sentence_metric_applies(sent_metric, v, vals):
                metric_ent = sent_metric
                ctx["metric_src"] = "sentence"
            v.update(ctx)
            v["metric_ent"] = metric_ent
            if not self._keep(view, v):
                prev = v
                continue
            kept.append(v)
            prev = v
        if not kept:
            return []
        # "respectively" lists: zip datasets / settings with the coordinated values
        groups = _coordinated(view, kept)
        for group in groups:
            # "improvements of 2.16% and 1.82%": the cue covers the whole coordination
            kinds = {v["kind"] for v in group}
            if "improvement" in kinds and kinds <= {"improvement", "score", "multiplier"}:
                # per clause: "a score of 84, an improvement of 5 points" - the gain cue
                # between two values starts a new clause and covers only what follows it
                gains = [u for u in group if u["kind"] == "improvement"]
                for v in group:
                    if v.get("role") not in ("to",) and v["kind"] != "improvement" and \
                            any(not view.kind_cue_between(u, v) for u in gains):
                        v["kind"] = "improvement"
            elif "speedup" in kinds and kinds <= {"speedup", "multiplier"}:
                for v in group:
                    v["kind"] = "speedup"
        kept = [v for v in kept if v["kind"] != "multiplier"]
        groups = [[v for v in g if v["kind"] != "multiplier"] for g in groups]
        groups = [g for g in groups if g]
        for group in groups:
            if respectively and len(group) > 1:
                after = [d for d in datasets if d["start"] > group[0]["start"]]
                before = [d for d in datasets if d["end"] <= group[0]["start"]]
                pool = after if len(after) == len(group) else (before[-len(group):] if len(before) >= len(group) else [])
                if len(pool) == len(group) and len({d["group"] for d in pool}) == len(group):
                    for v, d in zip(group, pool):
                        v["dataset_ent"] = d
                        v["dataset_src"] = "respectively"
                if len(settings) == len(group):
                    for v, (_, name) in zip(group, settings):
                        v["setting"] = name
        for v in kept:
            if v.get("setting") is None:
                v["setting"] = _nearest_setting(settings, v, view) if settings else view.language_setting(s0, s1)
            if v.get("dataset_ent") is not None:
                out.append(self._result(doc, view, v, s0, s1))
                continue
            found = view.datasets_for(v, s0, s1, datasets, lead_dataset)
            for d in found or [None]:
                v["dataset_ent"] = d
                out.append(self._result(doc, view, v, s0, s1))
        return out

    def _settings(self, view, s0: int, s1: int) -> list[tuple[int, str]]:
        found = []
        for k in range(s0, s1):
            low = view.lower(k)
            ent = view.ent_at[k]
            if ent is not None and ent["label"] in ("Method", "Dataset"):
                continue  # part of a name ("In-Context Pretraining", "Zero-Shot-CoT")
            if re.fullmatch(r"(?:\d+|one|two|three|four|five|ten|zero|few|many|k)-shot", low) or low in self.setting_words:
                name = low.replace("finetuned", "fine-tuned").replace("fine-tuning", "fine-tuned").replace("finetuning", "fine-tuned")
                found.append((k, name))
        # "zero-shot and few-shot settings" keep order; drop duplicates of the same word
        seen, out = set(), []
        for k, name in found:
            if name not in seen:
                seen.add(name)
                out.append((k, name))
        return out

    def _context(self, view, v: dict, s0: int, s1: int) -> dict | None:
        """Metric, kind and exclusion checks for one value; None = not a result."""
        i, j = v["start"], v["end"]
        before = view.lower(i - 1) if i > s0 else ""
        before2 = view.lower(i - 2) if i - 1 > s0 else ""
        after = view.lower(j) if j < s1 else ""
        after2 = view.lower(j + 1) if j + 1 < s1 else ""
        text = view.doc[i:j].text
        # enumerations, citations, sections
        if before in ("[",) or (before == "(" and after == ")" and v["unit"] == "" and v["shape"] == "NUM"
                                and not v.get("signed") and not v.get("qualifier")):
            return None
        if before in _SECTION_WORDS and v["unit"] == "" and v["shape"] == "NUM" and before not in ("the", "top"):
            return None
        if after == ")" and before in ("", ",", ";", ":") and v["shape"] == "NUM":
            return None
        if v["shape"] == "NUM" and re.fullmatch(r"(?:19|20)\d\d", text) and not v["unit"]:
            return None
        if v["shape"] in ("MULT",) and after in ("", ) and view.lower(j) == "":
            pass
        # "64 x 64" resolutions, "2:4" ratios
        if v["unit"] == "x" and (re.fullmatch(r"\d+", view.text(j)) or view.lower(j) in ("x", "×")):
            return None
        if view.lower(j) in ("x", "×") and re.fullmatch(r"\d+", view.text(j + 1)):
            return None
        if before in ("x", "×") and v["shape"] == "NUM" and re.fullmatch(r"\d+(?:x|×|times)?", view.text(i - 2)):
            return None
        kind = "score"
        role = v.get("role")
        if role == "from":
            kind = "baseline"
        # counts and sizes: "20,000 images", "12 Indian languages", "5B tokens"
        nxt = [view.lower(k) for k in range(j, min(s1, j + 3))]
        metric_ent, metric_src = view.metric_near(v, s0, s1)
        if v["unit"] != "%" and v["shape"] in ("NUM", "RANGE") and metric_ent is None:
            if nxt and (nxt[0] in self.count_nouns or (len(nxt) > 1 and classify_text(view.text(j)) == "CAP" and nxt[1] in self.count_nouns)):
                return None
        if v["unit"] == "%" and metric_ent is None and nxt:
            first = nxt[0]
            if first not in self.ok_after and first not in self.impr_after and first not in self.count_nouns \
                    and classify_text(view.text(j)) in ("LOW",) and first not in self.speed_after:
                return None
            if first in ("of", "the") or first in self.count_nouns and first not in ("points", "point"):
                return None  # "20% of the data", "15% the sample size"
        # kind
        window_before = [view.lower(k) for k in range(max(s0, i - 5), i)]
        clause_before = [view.lower(k) for k in range(max(s0, i - 14), i)]
        if v["unit"] == "x":
            if any(w in self.speed_after for w in nxt[:2]) or any(w in self.speed_before for w in window_before):
                kind = "speedup" if any(w in ("faster", "speedup", "speed-up", "speedups", "acceleration", "throughput",
                                                "quicker", "speed", "accelerates", "accelerate", "accelerated")
                                        for w in nxt[:3] + window_before) else "improvement"
                if any(w in ("smaller", "larger", "fewer", "less", "more", "memory", "compression") for w in nxt[:2]) and kind != "speedup":
                    kind = "improvement"
            else:
                kind = "multiplier"  # decided by its coordination ("3.5x and 4x improvement")
            if nxt and nxt[0] in ("smaller", "larger", "bigger") and metric_ent is None:
                return None
        elif role == "from":
            kind = "baseline"
        elif v.get("signed") or any(w in self.impr_before for w in window_before[-4:]) or \
                any(w in ("improvement", "improvements", "gain", "gains", "boost", "increase", "decrease",
                          "reduction", "drop") for w in clause_before[-7:]) and before in ("of", "by", "to", "about", "around", "nearly", "over", "up") or \
                (nxt and nxt[0] in self.impr_after) or (len(nxt) > 1 and nxt[0] in ("%", "\\%") and nxt[1] in self.impr_after) \
                or (self._by_amount(view, i, s0) and any(w in self.impr_before or w in ("outperforms", "outperforming", "improving", "improves", "reduces", "reducing") for w in clause_before)):
            kind = "improvement"
            if nxt and nxt[0] in ("higher", "lower", "better") and metric_ent is not None and view.lower(j + 1) in ("than",):
                kind = "improvement"
        if role == "to" or (before == "to" and before2 != "up" and kind == "improvement" and not v.get("signed")):
            kind = "score"  # "reduces FID to 2.24": the new value, not the gain
        if kind == "score" and role != "to" and self._baseline_context(view, v, s0, clause_before):
            kind = "baseline"
        unit = v["unit"]
        if unit == "" and nxt and nxt[0] in _UNITS and v["shape"] == "NUM":
            unit = view.text(j)
        if unit == "" and nxt and nxt[0] in ("points", "point", "pts", "pp") and kind == "score":
            kind = "improvement"
        return {"metric": metric_ent, "metric_src": metric_src, "kind": kind, "unit": unit}

    @staticmethod
    def _by_amount(view, i: int, s0: int) -> bool:
        """"by 3%", "by about 20%", "by up to 24%", "by more than 2 points"."""
        k = i - 1
        hedges = ("about", "around", "approximately", "roughly", "nearly", "almost", "up", "to", "over", "more",
                  "than", "as", "much", "at", "least", "a", "further", "an", "average", "of", "additional")
        while k >= s0 and i - k <= 4 and view.lower(k) in hedges:
            k -= 1
        return k >= s0 and view.lower(k) == "by"

    def _baseline_context(self, view, v: dict, s0: int, clause_before: list[str]) -> bool:
        i = v["start"]
        # "compared to the dense model's 5.12 PPL", "from 18.8%"
        if view.lower(i - 1) in ("'s", "’s"):
            return True
        words = clause_before[-8:]
        if any(w in ("compared", "than", "versus", "vs", "vs.", "baseline", "baselines") for w in words):
            named = view.method_subject(v, s0)
            if named is None:
                return True
        # the clause the value sits in: "..., while prior methods report a PPL of 12"
        c0 = i - 1
        while c0 > s0 and view.lower(c0 - 1) not in (",", ";", "while", "whereas", "but", ":"):
            c0 -= 1
        subject = [view.lower(k) for k in range(max(s0, c0), i)]
        if not subject:
            return False
        first_verbs = [k for k, w in enumerate(subject) if w in ("achieve", "achieves", "obtain", "obtains", "reach",
                                                                 "reaches", "attain", "score", "scores", "report", "reports", "yield", "yields")]
        if first_verbs:
            head = subject[:first_verbs[0]]
            if any(w in self.baseline_words for w in head) and not any(w in ("we", "our", "ours", "proposed") for w in head) \
                    and view.method_subject(v, s0) is None:
                return True
        return False

    def _keep(self, view, v: dict) -> bool:
        if v["metric_ent"] is not None:
            return True
        if v["unit"] == "%" and (v["kind"] != "score" or view.result_sentence(v["start"])):
            return True
        if v["unit"] == "x" and v["kind"] in ("speedup", "multiplier"):
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
        if v["kind"] == "improvement" and v.get("qualifier") and v["unit"] in ("", "%"):
            return True
        return False

    def _result(self, doc: Doc, view, v: dict, s0: int, s1: int) -> dict:
        metric_ent = v["metric_ent"]
        dataset_ent = v.get("dataset_ent")
        metric = None
        if metric_ent is not None:
            metric = view.group_name(metric_ent)
            metric = self.metrics.canonical(metric) or metric
            if v["kind"] == "speedup" and not any(w in metric.lower() for w in _SPEED_METRIC_WORDS):
                metric = None  # "reaching target accuracy 3x faster": a speed-up, not an accuracy
        method_ent = view.method_subject(v, s0)
        method = view.group_name(method_ent) if method_ent is not None else doc._.kg_primary
        if v["kind"] == "baseline" and (method_ent is None or v.get("role") == "from"):
            method = None  # the "before" side of "23.5->26.9" belongs to the starting point
        c0 = view.idx[s0]
        c1 = view.idx[s1 - 1] + len(view.texts[s1 - 1])
        raw = doc.text[c0:c1]
        evidence = raw.strip()
        start_char = c0 + (len(raw) - len(raw.lstrip()))
        conf = 0.55
        if metric:
            conf += 0.2 if v.get("metric_src") in ("before", "after") else 0.1
        if dataset_ent is not None:
            conf += 0.1
        if method_ent is not None:
            conf += 0.05
        value = v["value"]
        result = {
            "method": method,
            "dataset": view.group_name(dataset_ent) if dataset_ent is not None else None,
            "metric": metric,
            "value": int(value) if float(value).is_integer() and v["shape"] != "PCT" and "." not in view.texts[v["start"]] else value,
            "unit": v["unit"],
            "setting": v.get("setting"),
            "kind": v["kind"],
            "evidence": evidence,
            "char_start": start_char,
            "char_end": start_char + len(evidence),
            "confidence": round(min(conf, 0.95), 2),
            "text": doc.text[view.idx[v["start"]]:view.idx[v["end"] - 1] + len(view.texts[v["end"] - 1])],
        }
        if v.get("value_max") is not None:
            result["value_max"] = v["value_max"]
        if v.get("qualifier"):
            result["qualifier"] = v["qualifier"]
        if metric and self.metrics.direction(metric):
            result["direction"] = self.metrics.direction(metric)
        return result


def _to_float(text: str) -> float | None:
    text = text.replace(",", "").replace("−", "-")
    try:
        return float(text)
    except ValueError:
        return None


def _nearest_setting(settings: list[tuple[int, str]], v: dict, view=None) -> str | None:
    """A setting word after the value (within 6 tokens: "55% under the zero-shot
    setting") or before it in the same clause ("In the zero-shot setting, X achieves 55%")."""
    best = None
    for k, name in settings:
        if v["end"] <= k <= v["end"] + 20 and (view is None or not any(
                w in (",", ";", "while", "whereas", "but") for w in view.lowers[v["end"]:k])):
            d = k - v["end"]
        elif k < v["start"] and (view is None or not any(w in (";",) for w in view.lowers[k:v["start"]])):
            d = v["start"] - k
            if view is not None and any(w == "," for w in view.lowers[k:v["start"]]) and not (
                    any(w in ("setting", "settings", "manner", "regime", "scenario", "scenarios") for w in view.lowers[k:k + 3])
                    and k - view.bounds[view.sent_of[k]][0] <= 5):
                continue  # only a sentence-opening "In the zero-shot setting, ..." reaches over a comma
        else:
            continue
        if best is None or d < best[0]:
            best = (d, name)
    return best[1] if best else None


def _coordinated(view, values: list[dict]) -> list[list[dict]]:
    """Values joined by "and" / "," / "to" into one coordination group."""
    groups: list[list[dict]] = []
    for v in values:
        if groups and view.connected(groups[-1][-1]["end"], v["start"], loose=True) and v.get("role") != "to" \
                and groups[-1][-1].get("role") != "from":
            groups[-1].append(v)
        else:
            groups.append([v])
    return groups


class _ResultView:
    def __init__(self, doc: Doc):
        self.doc = doc
        views = doc_views(doc)
        self.lowers = views.lowers
        self.texts = views.texts
        self.idx = views.idx
        self.ents: list[dict] = doc._.kg_entities or []
        self.groups: list[dict] = doc._.kg_groups or []
        self.title_end = doc._.kg_title_end or 0
        n = len(doc)
        self.sent_of = views.sent_of
        self.bounds = views.bounds
        self.ent_at = [None] * n
        for ent in self.ents:
            for k in range(ent["start"], ent["end"]):
                self.ent_at[k] = ent
        cues = doc._.kg_cues or {}
        self.result_cues = sorted(s for s, _ in cues.get("RESULT", [])) + sorted(s for s, _ in cues.get("EVAL", []))

    def lower(self, i: int) -> str:
        return self.lowers[i] if 0 <= i < len(self.lowers) else ""

    def text(self, i: int) -> str:
        return self.texts[i] if 0 <= i < len(self.texts) else ""

    def inside_entity(self, s: int, e: int) -> bool:
        for k in range(s, e):
            ent = self.ent_at[k]
            if ent is not None and ent["label"] != "Metric":
                return True
        return False

    def group_name(self, ent: dict | None) -> str | None:
        if ent is None:
            return None
        return self.groups[ent["group"]]["name"]

    def ents_in(self, s0: int, s1: int, label: str) -> list[dict]:
        return [e for e in self.ents if s0 <= e["start"] < s1 and e["label"] == label]

    def result_sentence(self, i: int) -> bool:
        s0, s1 = self.bounds[self.sent_of[i]]
        return any(s0 <= c < s1 for c in self.result_cues)

    def connected(self, end: int, start: int, loose: bool = False) -> bool:
        gap = self.lowers[end:start]
        allowed = {",", "and", "or", "to", "vs", "vs.", "versus", "respectively", "(", ")", "/", "-", "–"}
        if loose:
            allowed |= {"on", "in", "the", "for", "under", "of", "at", "with", "a", "an", "improvement", "improvements",
                        "gain", "gains", "increase", "decrease", "drop", "reduction", "boost"}
            # allow a short dataset/setting name between coordinated values: "50.6% on COCO and 40.0% on LVIS"
            gap = [w for k, w in zip(range(end, start), gap) if self.ent_at[k] is None and not w[:1].isdigit()
                   and not w.endswith("shot")]
            return len(self.lowers[end:start]) <= 12 and all(w in allowed or w in ("dataset", "datasets", "benchmark", "benchmarks", "split", "set", "test") for w in gap)
        return len(gap) <= 3 and all(w in allowed for w in gap)

    _KIND_CUES = frozenset({"improvement", "improvements", "gain", "gains", "increase", "increases", "decrease",
                            "drop", "reduction", "boost", "improving", "improves", "improved", "margin",
                            "outperforming", "surpassing", "beating"})

    def kind_cue_between(self, a: dict, b: dict) -> bool:
        """A gain/comparison word between two coordinated values ("84, an
        improvement of 5"): each value then has its own kind."""
        lo, hi = (a, b) if a["start"] < b["start"] else (b, a)
        return any(w in self._KIND_CUES for w in self.lowers[lo["end"]:hi["start"]])

    def metric_near(self, v: dict, s0: int, s1: int):
        """("METRIC of VALUE" | "VALUE METRIC" | "VALUE ... in METRIC"), source."""
        i, j = v["start"], v["end"]
        # before: up to 5 connector tokens between the metric and the value
        k = i - 1
        steps = 0
        while k >= s0 and steps <= 5:
            ent = self.ent_at[k]
            if ent is not None and ent["label"] == "Metric":
                return ent, "before"
            if ent is not None:
                break
            w = self.lowers[k]
            if w not in _CONNECT_BEFORE and not w.startswith(("significantly", "substantially")):
                break
            k -= 1
            steps += 1
        # after: "58.4% AP", "6.72 PPL", "26.9 F1 score", "2.3% drop in WER", "points in RP@5"
        k = j
        steps = 0
        while k < s1 and steps <= 4:
            ent = self.ent_at[k]
            if ent is not None and ent["label"] == "Metric":
                return ent, "after"
            if ent is not None:
                break
            w = self.lowers[k]
            if w not in _CONNECT_AFTER and w not in ("improvement", "improvements", "gains", "drop", "decrease",
                                                      "increase", "reduction", "terms", "percentage"):
                break
            k += 1
            steps += 1
        return None, None

    def sentence_metric(self, s0: int, s1: int):
        """"in terms of METRIC" / a single metric named in the sentence."""
        metrics = [e for e in self.ents if s0 <= e["start"] < s1 and e["label"] == "Metric"]
        for e in metrics:
            if self.lower(e["start"] - 1) == "of" and self.lower(e["start"] - 2) == "terms":
                return e
            if self.lower(e["start"] - 1) in ("the",) and self.lower(e["start"] - 2) == "of" and self.lower(e["start"] - 3) == "terms":
                return e
        keys = {self.groups[e["group"]]["key"] for e in metrics}
        if len(keys) == 1:
            return metrics[0]
        return None

    def sentence_metric_applies(self, metric: dict, v: dict, vals: list[dict]) -> bool:
        """"in terms of METRIC" covers the sentence; otherwise the metric must come
        after the value with no other value in between ("gains of 2 points in top-1
        accuracy")."""
        k = metric["start"]
        if self.lower(k - 1) == "of" and self.lower(k - 2) == "terms" or \
                self.lower(k - 2) == "of" and self.lower(k - 3) == "terms":
            return True
        if k < v["end"]:
            return False
        return not any(v["end"] <= o["start"] < k for o in vals if o is not v)

    def leading_dataset(self, s0: int, s1: int):
        """"On the X dataset, ..." / "For X, ..." at the start of the sentence."""
        if self.lower(s0) not in ("on", "for", "across", "in"):
            return None
        for k in range(s0 + 1, min(s1, s0 + 8)):
            if self.lowers[k] == ",":
                break
            ent = self.ent_at[k]
            if ent is not None and ent["label"] == "Dataset":
                return ent
        return None

    def datasets_for(self, v: dict, s0: int, s1: int, datasets: list[dict], lead) -> list[dict]:
        """The dataset(s) a value is reported on; "on A and B datasets" gives both."""
        first = self.dataset_for(v, s0, s1, datasets, lead)
        if first is None:
            return []
        out = [first]
        k = first["end"]
        while k < s1:
            w = self.lowers[k]
            ent = self.ent_at[k]
            if ent is not None and ent["label"] == "Dataset" and ent is not out[-1]:
                if self.groups[ent["group"]]["key"] not in {self.groups[d["group"]]["key"] for d in out}:
                    out.append(ent)
                k = ent["end"]
                continue
            if w in (",", "and", "the", "dataset", "datasets", "benchmark", "benchmarks", "or"):
                k += 1
                continue
            break
        return out

    def dataset_for(self, v: dict, s0: int, s1: int, datasets: list[dict], lead):
        i, j = v["start"], v["end"]
        # after: "VALUE (METRIC) on (the) DATASET"
        k = j
        steps = 0
        while k < s1 and steps <= 14:
            ent = self.ent_at[k]
            w = self.lowers[k]
            if ent is not None and ent["label"] == "Dataset" and steps > 0 and \
                    any(self.lowers[x] in ("on", "in", "for", "over", "across", "of", "at") for x in range(j, k)):
                return ent
            if ent is not None and ent["label"] == "Dataset":
                break
            if w in (";", "while", "whereas", "but", "compared", "than"):
                break
            k += 1
            steps += 1
        # before, in the same clause: "on the PHOENIX14T dataset (>+5)"
        k = i - 1
        steps = 0
        while k >= s0 and steps <= 8:
            ent = self.ent_at[k]
            if ent is not None and ent["label"] == "Dataset":
                return ent
            w = self.lowers[k]
            if w in (";", "while", "whereas", "but", "and") and steps > 3:
                break
            if w[:1].isdigit() and k < i - 1 and self.ent_at[k] is None:
                break
            k -= 1
            steps += 1
        if lead is not None:
            return lead
        keys = {self.groups[d["group"]]["key"] for d in datasets}
        if len(keys) == 1 and v.get("metric_ent") is not None:
            return datasets[0]
        return None

    def method_subject(self, v: dict, s0: int):
        """A Method named before the value as the subject of the clause: followed
        closely by a verb ("MaskLLM achieves", "OV-DINO on COCO achieves", "our
        X variant is") or introduced by the paper; not the object of a
        preposition or comparison ("than X", "based on X", "models like X")."""
        i = v["start"]
        k = i - 1
        while k >= s0:
            if self.lowers[k] in (";", "while", "whereas", "but"):
                break
            ent = self.ent_at[k]
            if ent is None or ent["label"] != "Method":
                k -= 1
                continue
            before = [self.lowers[x] for x in range(max(s0, ent["start"] - 3), ent["start"])]
            if any(b in ("than", "over", "outperforming", "outperforms", "surpassing", "to", "with", "like", "such",
                         "including", "vs", "vs.", "versus", "against", "of", "for", "from", "on", "upon", "using",
                         "by", "via", "based", "compared") for b in before):
                k = ent["start"] - 1
                continue
            after = self.lowers[ent["end"]:min(i, ent["end"] + 5)]
            if self.groups[ent["group"]].get("introduced") or any(w in _SUBJECT_VERBS for w in after):
                return ent
            k = ent["start"] - 1
        return None

    def language_setting(self, s0: int, s1: int) -> str | None:
        langs = lexicon_sets()["languages"]
        for k in range(s0, min(s1, s0 + 4)):
            if self.lowers[k] in langs and self.texts[k][:1].isupper() and self.lower(k - 1) in ("for", "on", "in"):
                return self.texts[k]
        return None
