"""Relation rules over the resolved entities (``kg_relations`` component).

Every relation carries provenance: the evidence sentence (text and character
offsets), the rule that produced it (``extractor``) and a confidence.

* **INTRODUCES** (Paper -> Method|Dataset): entities the introduction rules
  found (see :mod:`extractors.components.mentions`); evidence is the sentence
  of the cue ("we propose X", "called X", title prefix).
* **EVALUATES_ON** (Paper -> Dataset): a dataset mention in an evaluation
  context - an evaluation/result cue in its sentence ("experiments",
  "achieves", "outperforms", "results") or "on/across X" - unless the nearest
  cue before it says training ("trained on X", "pre-train on X").
* **BUILDS_ON / APPLIED_TO / USES / COMPARES_WITH** (``_method_links``): for a
  named method the paper did not introduce, the cue closest before it decides
  (``docs/relations.md``): lineage ("based on", "built on top of", "fine-tune",
  "X-based", "we present a X architecture") gives BUILDS_ON, application ("apply
  to", "assessed ... on LLMs, including X", "improves X") APPLIED_TO, both from
  the paper's own method (or the paper); use ("using", "employ") gives USES and
  comparison ("compared with", "than") COMPARES_WITH, from the paper. One of
  the first three per method and paper.
* **MENTIONS** (Paper -> any entity): every named entity no other relation
  takes up, and named mentions the graph's gates turned down ("CNNs").
* **ADDRESSES** (Paper -> Task): task mentions; title mentions score highest.
* **HAS_CODE** (Paper -> Code): URLs in a sentence about code/release, or on a
  code host (github.com, gitlab.com, huggingface.co ...); trailing punctuation
  and LaTeX ``{...}`` debris stripped.
* **REPORTS_ON** (Method -> Dataset): a method mentioned before a result cue in
  a sentence that names an evaluated dataset; and the paper's primary method
  (its best-attested introduced Method) for every evaluated dataset, with the
  dataset's best sentence as evidence (one that also names the method, or says
  "our/we/proposed", preferred).
* **OUTPERFORMS** (Method -> Method): "X outperforms/surpasses Y", "better
  than Y", "improvement ... over Y", "outperforming ... A and B"; the source is
  the method named before the cue, or the primary method when the subject is
  "we"/"our method", or an unnamed model ("the 7B student model surpassed X")
  in a paper that introduces exactly one method.
"""

from __future__ import annotations

import re
from collections import defaultdict

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc

from extractors.components.lexicon import classify_text, doc_views, lexicon_sets

if not Doc.has_extension("kg_relations"):
    Doc.set_extension("kg_relations", default=None)
if not Doc.has_extension("kg_primary"):
    Doc.set_extension("kg_primary", default=None)

_URL_TRAIL = ".,;:)]}>'\"”’"
#: words that make a URL a code / resource link ("Code is available at ...", "Project page: ...")
_CODE_WORDS = lexicon_sets()["code_words"]
_COMPARE_ANCHORS = lexicon_sets()["compare_anchors"]
_TARGET_BREAKS = lexicon_sets()["comparison_target_breaks"]
_FIRST_PERSON = lexicon_sets()["first_person"]
_LINEAGE_SUFFIXES = lexicon_sets()["lineage_suffixes"]
_USE_SUFFIXES = lexicon_sets()["use_suffixes"]
_LINEAGE_CUES = lexicon_sets()["lineage_cues"]
_APPLY_CUES = lexicon_sets()["apply_cues"]
_APPLICATION_HOSTS = lexicon_sets()["application_hosts"]
_LIST_OPENERS = lexicon_sets()["list_openers"]
#: type nouns of a paper's own method ("a normalizing flow architecture")
_OWN_TYPE_NOUNS = frozenset({"architecture", "model", "framework", "network", "approach", "algorithm", "method",
                             "variant", "scheme", "technique", "agent", "system", "formulation", "extension"})
#: the kind of a use cue -> the relation it gives
_CUE_RELATION = {"LINEAGE": "BUILDS_ON", "APPLY": "APPLIED_TO", "USE": "USES"}


@Language.factory("kg_relations")
def make_relations(nlp: Language, name: str):
    return RelationExtractor(nlp)


class RelationExtractor:
    def __init__(self, nlp: Language):
        sets = lexicon_sets()
        self.sets = sets
        self.url_matcher = Matcher(nlp.vocab)
        self.url_matcher.add("URL", [[{"LIKE_URL": True}], [{"TEXT": {"REGEX": r"^(?:https?://|www\.)\S+"}}]])
        self.code_cues = sets["code_cues"]
        self.code_hosts = tuple(sets["code_hosts"])
        self.compare_words = sets["compare_nouns"] | sets["compare_verbs"] | {"better", "superior", "stronger", "higher"}

    def __call__(self, doc: Doc) -> Doc:
        view = _View(doc)
        rels: list[dict] = []
        primary = view.primary_method()
        doc._.kg_primary = primary["name"] if primary else None
        rels += self._introduces(view)
        evaluated = self._evaluates_on(view)
        rels += [r for r, _ in evaluated.values()]
        rels += self._method_links(view, primary)
        rels += self._addresses(view)
        rels += self._has_code(view)
        rels += self._reports_on(view, evaluated, primary)
        rels += self._outperforms(view, primary)
        rels = _dedupe(rels)
        doc._.kg_relations = sorted(rels + self._mentions(view, rels), key=lambda r: (r["char_start"], r["type"]))
        return doc

    # ----------------------------------------------------------------- rules
    def _introduces(self, view) -> list[dict]:
        out = []
        for g in view.groups:
            if not g["introduced"] or g["label"] not in ("Method", "Dataset"):
                continue
            best = max(g["intro"], key=lambda r: (r["conf"], -r["sent"][0]))
            s0, s1 = best["sent"]
            m0, m1 = best["start"], best["end"]
            out.append(view.relation("INTRODUCES", None, "Paper", g["name"], g["label"], s0, s1, m0, m1,
                                     best["rule"], best["conf"]))
        return out

    def _evaluates_on(self, view) -> dict[int, tuple[dict, list[int]]]:
        """Dataset group id -> (relation, qualifying mention indices)."""
        out: dict[int, tuple[dict, list[int]]] = {}
        for g in view.groups:
            if g["label"] != "Dataset":
                continue
            best = None
            qualifying = []
            for m in g["mentions"]:
                ent = view.ents[m]
                if ent["start"] < view.title_end:
                    continue
                conf = self._eval_conf(view, ent, g)
                if conf is None:
                    continue
                qualifying.append(m)
                if best is None or conf > best[0]:
                    best = (conf, ent)
            if best is None:
                continue
            conf, ent = best
            s0, s1 = view.sent_bounds(ent["start"])
            rule = ent["extractor"] if ent["extractor"] != "gazetteer" else "rule:eval_context"
            out[g["id"]] = (view.relation("EVALUATES_ON", None, "Paper", g["name"], "Dataset", s0, s1,
                                          ent["start"], ent["end"], rule, conf), qualifying)
        return out

    def _eval_conf(self, view, ent: dict, g: dict) -> float | None:
        i = ent["start"]
        s0, s1 = view.sent_bounds(i)
        last_eval = view.last_cue_before(("EVAL", "RESULT"), s0, i)
        last_train = view.last_cue_before(("TRAIN",), s0, i)
        if last_train is not None and (last_eval is None or last_train > last_eval):
            # "trained on X" - unless an evaluation cue follows in the same clause
            return None
        # "training datasets such as X", "pre-training corpora like X": data, not evaluation
        lo = max(s0, i - 6)
        if any(view.lower(k) in ("training", "pre-training", "pretraining", "train", "pretrain", "pre-train")
               for k in range(lo, i)) and last_eval is None:
            return None
        prep = view.lower(i - 1) in ("on", "across", "over") or (view.lower(i - 1) in ("the", "both") and
                                                                view.lower(i - 2) in ("on", "across", "over"))
        has_eval = view.sentence_has(i, ("EVAL", "RESULT"))
        if not (has_eval or prep or ent["rule"] in ("rule:dataset_list", "rule:eval_list")):
            return None
        if ent["rule"] == "rule:dataset_list" and not has_eval and not prep:
            return None
        base = {"gazetteer": 0.75, "ner": 0.5}.get(ent["extractor"], 0.7)
        if ent["rule"] in ("rule:dataset_noun", "rule:dataset_split", "rule:dataset_titled"):
            base = 0.8
        if g["gazetteer"] and ent["extractor"] != "ner":
            base = max(base, 0.8)
        if has_eval and prep:
            base += 0.1
        if g.get("ner_only"):
            base = min(base, 0.55)
        return round(min(base, 0.95), 2)

    def _method_links(self, view, primary: dict | None) -> list[dict]:
        """What the paper does with each named method it did not introduce.

        The cue closest before a mention decides the meaning: a lineage cue
        ("based on", "fine-tune", "extends", "X-based") gives ``BUILDS_ON``, an
        application cue ("apply ... to", "evaluate on", "prompting") gives
        ``APPLIED_TO``, both from the paper's own method (or from the paper when
        it names none); a use cue ("using", "employ", "with X as") gives
        ``USES`` and a comparison cue ("compared with", "than", "outperforms")
        ``COMPARES_WITH``, from the paper. One relation per (type, method), from
        its strongest mention; a method with none of these is only mentioned."""
        out = []
        named = [(g["name"], [view.ents[m] for m in g["mentions"]], bool(g.get("ner_only")))
                 for g in view.groups if g["label"] == "Method" and not g["introduced"]]
        # named methods the graph's gates turned down ("beam search", "auto-encoder") link as well
        linked: dict[str, list[dict]] = defaultdict(list)
        for ent in view.doc._.kg_mentions_only or []:
            if ent.get("linked") and ent["label"] == "Method":
                linked[ent["name"]].append({**ent, "rule": "ner"})
        named += [(name, ents, None) for name, ents in linked.items()]
        for name, ents, ner_only in named:
            best: dict[str, tuple[float, dict]] = {}
            for ent in ents:
                # a gated mention links only on a cue right before it ("using beam search")
                for rtype, conf in self._link_kinds(view, ent, window=3 if ner_only is None else 8):
                    if rtype not in best or conf > best[rtype][0]:
                        best[rtype] = (conf, ent)
            # lineage, application and use exclude each other: the best-supported one stays
            # (ties: lineage, then application); a comparison can stand beside it
            exclusive = [t for t in ("BUILDS_ON", "APPLIED_TO", "USES") if t in best]
            if len(exclusive) > 1:
                keep = max(exclusive, key=lambda t: (best[t][0], -exclusive.index(t)))
                best = {t: v for t, v in best.items() if t == keep or t not in exclusive}
            for rtype, (conf, ent) in best.items():
                if ner_only is not False:
                    conf = min(conf, 0.5)
                s0, s1 = view.sent_bounds(ent["start"])
                own = primary is not None and rtype in ("BUILDS_ON", "APPLIED_TO")
                out.append(view.relation(rtype, primary["name"] if own else None, "Method" if own else "Paper",
                                         name, "Method", s0, s1, ent["start"], ent["end"],
                                         f"rule:{rtype.lower()}", conf))
        return out

    def _link_kinds(self, view, ent: dict, window: int = 8) -> list[tuple[str, float]]:
        """(relation type, confidence) that one Method mention supports, from a
        cue at most ``window`` words before it (or, with the widest window, a
        first-person sentence's use cue)."""
        i = ent["start"]
        s0, s1 = view.sent_bounds(i)
        suffix = view.lower(ent["end"])
        if suffix in _LINEAGE_SUFFIXES and not self._family_of_others(view, ent, s0, s1):
            return [("BUILDS_ON", 0.75)]
        if suffix in _USE_SUFFIXES:
            return [("USES", 0.75)]
        if i < view.title_end:
            cue = view.last_use_cue(0, i)
            return [(_CUE_RELATION[cue[0]], 0.6)] if cue else []
        kinds = []
        if self._in_application_list(view, i, s0):
            return [("APPLIED_TO", 0.75)]
        if self._kind_of_own(view, ent, s0):
            return [("BUILDS_ON", 0.7)]
        cue = view.last_use_cue(max(s0, i - window), i)
        compare = view.last_cue_before(("COMPARE",), max(s0, i - window), i)
        if compare is not None or (window >= 8 and view.compare_anchor_before(i, s0)):
            if cue is None or (compare is not None and compare > cue[1]):
                return [("COMPARES_WITH", 0.75)]
        if cue is not None:
            return [(_CUE_RELATION[cue[0]], 0.8)]
        if window < 8:
            return []
        first_person = any(view.lower(k) in _FIRST_PERSON for k in range(s0, s1))
        sentence_cue = view.last_use_cue(s0, i) if first_person else None
        if sentence_cue is not None:
            kinds.append((_CUE_RELATION[sentence_cue[0]], 0.6))
        elif first_person and view.sentence_has(i, ("COMPARE",)):
            kinds.append(("COMPARES_WITH", 0.6))
        elif ent["rule"] == "rule:use_object":
            kinds.append(("USES", 0.7))
        elif ent["rule"] == "rule:compare_object":
            kinds.append(("COMPARES_WITH", 0.7))
        return kinds

    @staticmethod
    def _family_of_others(view, ent: dict, s0: int, s1: int) -> bool:
        """"SVRG-like algorithms have not been widely adopted": a lineage suffix before a plural
        noun names a family of existing methods, not the paper's base, unless the sentence is
        the paper's own ("we propose X-based models"); a cue before it still counts ("CUMF
        inherits the benefits of MF-based methods")."""
        head = view.lower(ent["end"] + 1) if ent["end"] + 1 < s1 else ""
        if not (head.endswith("s") and not head.endswith("ss") and head.isalpha()):
            return False
        return not any(view.lower(k) in _FIRST_PERSON for k in range(s0, s1))

    @staticmethod
    def _kind_of_own(view, ent: dict, s0: int) -> bool:
        """The method the paper's own is a kind of: "we present a normalizing flow architecture",
        "we propose a reinforcement learning based algorithm", "Auto-Encoder Based Image
        Transfer": a method name modifying a type noun (or "based") that the paper introduces."""
        nxt = view.lower(ent["end"])
        if nxt not in _OWN_TYPE_NOUNS and nxt != "based":
            return False
        if ent["start"] < view.title_end:
            return nxt == "based"
        return view.last_cue_before(("INTRO",), max(s0, ent["start"] - 5), ent["start"]) is not None

    @staticmethod
    def _in_application_list(view, i: int, s0: int) -> bool:
        """A member of a list of models the paper's technique is run on: "(assessed X) on various
        LLMs, including A, B and C", "experiments with architectures such as A": a preposition,
        no lineage or comparison cue just before it, a plural model noun
        (``application_hosts``), a list opener, then the names."""
        k = i - 1
        while k >= max(s0, i - 16) and view.lower(k) not in _LIST_OPENERS:
            if view.lower(k) in (".", ";", ":", "(", ")") or view.cue_kind_at(k):
                return False
            k -= 1
        if k < s0 + 2 or view.lower(k) not in _LIST_OPENERS:
            return False
        host = k - 2 if view.lower(k) == "as" and view.lower(k - 1) == "such" else k - 1
        if view.lower(host) == ",":
            host -= 1
        if view.lower(host) not in _APPLICATION_HOSTS:
            return False
        cue = view.last_use_cue(max(s0, host - 6), host)
        if cue is not None and cue[0] == "LINEAGE":  # "built on models such as X" is lineage
            return False
        if view.last_cue_before(("COMPARE",), max(s0, host - 6), host) is not None:
            return False  # "compared with models such as X" are baselines
        return any(view.lower(j) in ("on", "to", "across", "with") for j in range(max(s0, host - 4), host))

    def _mentions(self, view, rels: list[dict]) -> list[dict]:
        """``MENTIONS`` from the paper to every entity it names that no other
        relation of the paper takes up, and to the named mentions the graph's
        gates turned down ("beam search", "CNNs"); evidence: the first sentence
        that names it."""
        taken = {(r["target_label"], r["target"]) for r in rels} | {
            (r["source_label"], r["source"]) for r in rels if r["source"]}
        out = []
        seen = set()
        for g in view.groups:
            if g["label"] not in ("Method", "Dataset", "Task", "Metric") or (g["label"], g["name"]) in taken:
                continue
            ent = min((view.ents[m] for m in g["mentions"]), key=lambda e: e["start"])
            s0, s1 = view.sent_bounds(ent["start"])
            conf = 0.5 if g.get("ner_only") else 0.7
            out.append(view.relation("MENTIONS", None, "Paper", g["name"], g["label"], s0, s1,
                                     ent["start"], ent["end"], "rule:mention", conf))
            seen.add((g["label"], g["name"]))
        for ent in view.doc._.kg_mentions_only or []:
            if not ent.get("linked") or (ent["label"], ent["name"]) in taken | seen:
                continue
            seen.add((ent["label"], ent["name"]))
            s0, s1 = view.sent_bounds(ent["start"])
            out.append(view.relation("MENTIONS", None, "Paper", ent["name"], ent["label"], s0, s1,
                                     ent["start"], ent["end"], "ner", 0.4))
        return out

    def _addresses(self, view) -> list[dict]:
        out = []
        for g in view.groups:
            if g["label"] != "Task":
                continue
            ents = [view.ents[m] for m in g["mentions"]]
            in_title = [e for e in ents if e["start"] < view.title_end]
            ent = in_title[0] if in_title else ents[0]
            if in_title:
                conf = 0.9
            else:
                conf = {"gazetteer": 0.75, "ner": 0.5}.get(ent["extractor"], 0.7)
                if len(ents) > 1:
                    conf += 0.05
            if g.get("ner_only"):
                conf = min(conf, 0.55)
            s0, s1 = view.sent_bounds(ent["start"])
            rule = "rule:title_task" if in_title else ("rule:task_mention" if ent["extractor"] != "ner" else "ner")
            out.append(view.relation("ADDRESSES", None, "Paper", g["name"], "Task", s0, s1, ent["start"], ent["end"],
                                     rule, round(conf, 2)))
        return out

    def _has_code(self, view) -> list[dict]:
        doc = view.doc
        out = []
        seen = set()
        for _, start, end in self.url_matcher(doc):
            span = doc[start:end]
            url = clean_url(span.text)
            if not url or url in seen or "." not in url:
                continue
            seen.add(url)
            s0, s1 = view.sent_bounds(start)
            words = {view.lower(k) for k in range(s0, s1)}
            cue = bool(words & _CODE_WORDS)
            host = any(h in url.lower() for h in self.code_hosts)
            if not (cue or host):
                continue
            conf = 0.95 if cue and host else 0.8
            out.append(view.relation("HAS_CODE", None, "Paper", url, "Code", s0, s1, start, end,
                                     "rule:code_url", conf))
        return out

    def _reports_on(self, view, evaluated: dict, primary: dict | None) -> list[dict]:
        out = []
        for gid, (rel, mentions) in evaluated.items():
            dataset = view.groups[gid]
            # methods named as the subject of a result in the dataset's own sentence
            best_for_primary = None
            for m in mentions:
                ent = view.ents[m]
                s0, s1 = view.sent_bounds(ent["start"])
                subjects = view.result_subjects(s0, s1)
                for sub in subjects:
                    sg = view.groups[sub["group"]]
                    if sg["id"] == gid:
                        continue
                    conf = 0.85 if sg["introduced"] else 0.7
                    out.append(view.relation("REPORTS_ON", sg["name"], "Method", dataset["name"], "Dataset", s0, s1,
                                             ent["start"], ent["end"], "rule:result_subject", conf))
                if primary is not None:
                    score = view.self_reference_score(s0, s1, primary)
                    if best_for_primary is None or score > best_for_primary[0]:
                        best_for_primary = (score, s0, s1, ent)
            if primary is not None and best_for_primary is not None:
                score, s0, s1, ent = best_for_primary
                conf = 0.85 if score >= 2 else (0.75 if score == 1 else 0.65)
                out.append(view.relation("REPORTS_ON", primary["name"], "Method", dataset["name"], "Dataset", s0, s1,
                                         ent["start"], ent["end"], "rule:primary_method", conf))
        return out

    def _outperforms(self, view, primary: dict | None) -> list[dict]:
        out = []
        anchors = []
        for start, end in view.cues.get("COMPARE", []):
            if start >= view.title_end:
                anchors.append((start, end))
        for i in range(view.title_end, len(view.doc)):
            if view.lower(i) in _COMPARE_ANCHORS and view.compare_anchor_before(i + 1, view.sent_bounds(i)[0]):
                anchors.append((i, i + 1))
        done = set()
        for start, end in sorted(set(anchors)):
            if start in done:
                continue
            done.add(start)
            s0, s1 = view.sent_bounds(start)
            cue_words = {view.lower(k) for k in range(start, end)}
            if cue_words & {"comparable", "competitive", "competitively", "comparably", "compared", "comparing",
                            "comparison", "versus", "vs", "vs.", "contrast", "relative", "against", "with", "to",
                            "than", "over", "upon"} \
                    and not cue_words & self.compare_words:
                if not view.compare_anchor_before(start, s0):
                    continue
            if cue_words & {"lower"} and not view.sentence_has(start, ("RESULT",)):
                continue
            targets = view.methods_after(end, s1)
            if not targets:
                continue
            source = view.method_before(start, s0)
            rule, conf = "rule:outperforms", 0.85
            if source is None:
                if primary is None or not (view.self_subject(s0, start) or
                                           (view.sole_method(primary) and view.implicit_own_subject(s0, start))):
                    continue
                source, rule, conf = primary, "rule:outperforms_primary", 0.75
            for tgt in targets:
                tg = view.groups[tgt["group"]]
                if tg["key"] == source["key"]:
                    continue
                out.append(view.relation("OUTPERFORMS", source["name"], "Method", tg["name"], "Method", s0, s1,
                                         tgt["start"], tgt["end"], rule, conf))
        return out


def clean_url(text: str) -> str:
    url = text.strip()
    for bracket in ("{", "}", "\\", "|", "<", ">"):
        if bracket in url:
            url = url.split(bracket)[0]
    url = re.sub(r"^[(\[<\"'“]+", "", url)
    while url and url[-1] in _URL_TRAIL:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    if not re.match(r"^(?:https?://|www\.|[\w-]+\.[\w.-]+/)", url, re.I):
        return ""
    return url


def _dedupe(rels: list[dict]) -> list[dict]:
    best: dict[tuple, dict] = {}
    for rel in rels:
        if rel["source_label"] == "Method" and rel["target_label"] == "Method" and rel["source"] == rel["target"]:
            continue
        key = (rel["type"], rel["source"], rel["target"])
        if key not in best or rel["confidence"] > best[key]["confidence"]:
            best[key] = rel
    return sorted(best.values(), key=lambda r: (r["char_start"], r["type"]))


class _View:
    """Per-doc lookups shared by the relation rules."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.ents: list[dict] = doc._.kg_entities or []
        self.groups: list[dict] = doc._.kg_groups or []
        self.cues: dict[str, list] = doc._.kg_cues or {}
        views = doc_views(doc)
        self.lowers = views.lowers
        self.title_end = doc._.kg_title_end or 0
        self.sent_of = views.sent_of
        self.bounds = views.bounds
        self.idx = views.idx
        self.texts = views.texts
        self.cue_at: dict[str, list[int]] = {c: sorted(s for s, _ in v) for c, v in self.cues.items()}
        self._cue_starts = {a for starts in self.cue_at.values() for a in starts}
        self.ents_by_sent: dict[int, list[dict]] = defaultdict(list)
        for ent in self.ents:
            self.ents_by_sent[self.sent_of[ent["start"]]].append(ent)
        sets = lexicon_sets()
        # performance comparatives only: "10x smaller than X" is about size, not quality
        self.compare_words = (sets["compare_nouns"] | sets["compare_verbs"] | {
            "better", "superior", "stronger", "higher", "improvement", "improvements", "gain", "gains",
            "outperforming", "outperforms", "surpassing", "advantage", "margin", "margins"}) - {"speedup", "speed-up", "lead", "edge", "increase"}
        self.result_verbs = frozenset({
            "achieve", "achieves", "achieved", "achieving", "obtain", "obtains", "obtained", "attain", "attains",
            "reach", "reaches", "reached", "sets", "set", "yields", "yield", "scores", "records", "outperforms",
            "outperform", "outperformed", "surpasses", "surpass", "surpassed", "improves", "improve", "improved",
            "establishes", "delivers", "gets", "exhibits", "shows", "demonstrates", "generalizes", "generalize",
            "performs", "matches", "rivals", "beats", "exceeds", "leads", "results", "gives", "brings", "provides",
            "boosts", "reduces", "lowers", "is", "are", "was", "were", "has", "have", "validate", "validates"})

    def lower(self, i: int) -> str:
        return self.lowers[i] if 0 <= i < len(self.lowers) else ""

    def sent_bounds(self, i: int) -> tuple[int, int]:
        return self.bounds[self.sent_of[i]] if self.bounds else (0, len(self.doc))

    def sentence_has(self, i: int, cues: tuple[str, ...]) -> bool:
        s0, s1 = self.sent_bounds(i)
        return any(s0 <= a < s1 for c in cues for a in self.cue_at.get(c, []))

    def cue_kind_at(self, i: int) -> bool:
        """Whether some cue (use, compare, evaluation ...) starts at ``i``."""
        return i in self._cue_starts

    def last_cue_before(self, cues: tuple[str, ...], lo: int, hi: int) -> int | None:
        best = None
        for c in cues:
            for a in self.cue_at.get(c, []):
                if lo <= a < hi and (best is None or a > best):
                    best = a
        return best

    def compare_anchor_before(self, i: int, s0: int) -> bool:
        """A comparative/improvement word shortly before position ``i``."""
        for k in range(max(s0, i - 9), i):
            if self.lowers[k] in self.compare_words:
                return True
        return False

    def last_use_cue(self, lo: int, hi: int) -> tuple[str, int] | None:
        """The last use cue in ``[lo, hi)``, as (kind, position): LINEAGE ("based
        on", "fine-tune"), APPLY ("apply to", "evaluate") or plain USE."""
        best = None
        for start, end in self.cues.get("USE", []):
            # the last cue; of cues starting together the longest ("combines ideas from", not "combines")
            if lo <= start < hi and (best is None or (start, end) > best):
                best = (start, end)
        if best is None:
            return None
        words = self.lowers[best[0]:best[1]]
        # a lineage word anywhere in the phrase: "based on", "combines the ideas of", "in the framework of"
        if any(w in _LINEAGE_CUES for w in words) or words[:1] == ["on"]:  # "on top of"
            return "LINEAGE", best[0]
        if words and words[0] in _APPLY_CUES:
            return "APPLY", best[0]
        return "USE", best[0]

    def relation(self, rtype, source, source_label, target, target_label, s0, s1, t0, t1, extractor, conf) -> dict:
        doc = self.doc
        text = doc.text
        c0 = self.idx[s0]
        c1 = self.idx[s1 - 1] + len(self.texts[s1 - 1])
        raw = text[c0:c1]
        evidence = raw.strip()
        start_char = c0 + (len(raw) - len(raw.lstrip()))
        return {
            "type": rtype, "source": source, "source_label": source_label, "target": target,
            "target_label": target_label, "evidence": evidence, "char_start": start_char,
            "char_end": start_char + len(evidence),
            "target_char": (self.idx[t0], self.idx[t1 - 1] + len(self.texts[t1 - 1])),
            "extractor": extractor, "confidence": round(float(conf), 2),
        }

    def primary_method(self) -> dict | None:
        """The paper's own main method: its best-attested introduced Method."""
        best, best_score = None, None
        for g in self.groups:
            if g["label"] != "Method" or not g["introduced"]:
                continue
            rules = {r["rule"] for r in g["intro"]}
            score = (3 if "rule:title" in rules else 0) + len(g["mentions"]) + max(r["conf"] for r in g["intro"]) * 2
            first = min(self.ents[m]["start"] for m in g["mentions"])
            key = (score, -first)
            if best_score is None or key > best_score:
                best, best_score = g, key
        return best

    def result_subjects(self, s0: int, s1: int) -> list[dict]:
        """Method mentions that are the subject of a result verb in the sentence."""
        out = []
        ents = [e for e in self.ents_by_sent.get(self.sent_of[s0], []) if e["label"] == "Method"]
        for ent in ents:
            g = self.groups[ent["group"]]
            k = ent["end"]
            # "X achieves", "X sets", "the fine-tuned X on COCO achieves", "X's performance ..."
            window = [self.lowers[j] for j in range(k, min(s1, k + 6))]
            if any(w in self.result_verbs for w in window[:4]) and not self._is_compared(ent, s0):
                if window and window[0] in ("'s", "’s") or any(w in self.result_verbs for w in window[:3]):
                    out.append(ent)
                    continue
            if g["introduced"] and any(self.lowers[j] in ("sets", "achieves", "obtains", "reaches", "outperforms",
                                                          "surpasses", "attains", "yields", "achieving")
                                       for j in range(k, s1)):
                out.append(ent)
        return out

    def _is_compared(self, ent: dict, s0: int) -> bool:
        """Is the mention the object of a comparison or a preposition ("than X",
        "trained on X", "models like X")?"""
        return any(self.lowers[k] in ("than", "over", "outperforming", "outperforms", "surpassing", "against",
                                      "to", "with", "like", "as", "including", "on", "from", "trained", "using",
                                      "of", "by", "via", "such", "e.g.", "vs", "vs.", "versus")
                   for k in range(max(s0, ent["start"] - 3), ent["start"]))

    def self_reference_score(self, s0: int, s1: int, primary: dict) -> int:
        mentions = set(primary["mentions"])
        if any(self.sent_of[self.ents[m]["start"]] == self.sent_of[s0] for m in mentions):
            return 2
        if any(self.lowers[k] in ("we", "our", "ours", "proposed") for k in range(s0, s1)):
            return 1
        return 0

    def method_before(self, i: int, s0: int) -> dict | None:
        """The Method group named before position ``i`` in the clause."""
        ents = [e for e in self.ents_by_sent.get(self.sent_of[i], []) if e["label"] == "Method" and e["end"] <= i]
        for ent in reversed(ents):
            between = self.lowers[ent["end"]:i]
            if any(w in (";", "than", "over", "outperforming", "while", "whereas", "but", "unlike") for w in between):
                continue
            if any(w in ("like", "such", "including", "e.g.") for w in self.lowers[max(s0, ent["start"] - 3):ent["start"]]):
                continue
            return self.groups[ent["group"]]
        return None

    def self_subject(self, s0: int, i: int) -> bool:
        """Is the clause before ``i`` about the paper's own method?"""
        words = self.lowers[s0:i]
        if any(w in ("we", "our", "ours", "proposed", "this") for w in words):
            return True
        for k in range(s0, i):
            if self.lowers[k] in ("it", "approach", "method", "model", "framework", "system") and k - s0 <= 4:
                return True
        return False

    def sole_method(self, primary: dict) -> bool:
        """Is ``primary`` the only Method the paper introduces (components named
        inside its description aside)?"""
        own = [g for g in self.groups if g["label"] == "Method" and g["introduced"]
               and not all(r["rule"] == "rule:intro_component" for r in g["intro"])]
        return len(own) == 1 and own[0]["id"] == primary["id"]

    _OWN_HEADS = frozenset({"model", "models", "network", "networks", "approach", "method", "framework", "system",
                            "variant", "variants", "student", "agent", "pipeline", "architecture", "it", "version"})
    _OTHER_WORDS = frozenset({"previous", "prior", "existing", "baseline", "baselines", "competing", "other",
                              "others", "conventional", "traditional", "vanilla", "original", "standard", "teacher",
                              "they", "these", "those", "their", "such", "many", "most", "some"})

    def implicit_own_subject(self, s0: int, i: int) -> bool:
        """An unnamed model as the subject before the comparison cue ("the 7B
        student model surpassed X", "Finally, the distilled network beats X"):
        a model head noun, no named Method and no word pointing at other work."""
        words = self.lowers[s0:i]
        if not any(w in self._OWN_HEADS for w in words) or any(w in self._OTHER_WORDS for w in words):
            return False
        if any(w in (";", "while", "whereas", "but", "than", "unlike") for w in words):
            return False
        return not any(e["label"] == "Method" and e["start"] < i for e in self.ents_by_sent.get(self.sent_of[s0], []))

    def methods_after(self, i: int, s1: int) -> list[dict]:
        """Method mentions after a comparison cue, up to the clause end."""
        out = []
        ents = [e for e in self.ents_by_sent.get(self.sent_of[min(i, len(self.doc) - 1)], [])
                if e["label"] == "Method" and e["start"] >= i]
        k = i
        for ent in ents:
            gap = self.lowers[k:ent["start"]]
            if ent["start"] - k > 10:
                break
            if any(w in _TARGET_BREAKS for w in gap) and not all(w in (",", "and", "or") for w in gap):
                if out or any(w in (".", ";", "which", "while", "when", "whereas", "but", "by", "on", "in", "using",
                                    "achieving", "with", "across", "for", "at", "to") for w in gap):
                    break
            out.append(ent)
            k = ent["end"]
        return out


_ = classify_text
