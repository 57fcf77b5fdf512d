"""Entity mentions: rules, gazetteer and NER combined into one resolved set.

How the sources are combined (precision first):

1. **Candidates** come from
   * introduction rules (``rule:intro``, ``rule:naming``, ``rule:proposed``,
     ``rule:design``, ``rule:appositive``, ``rule:title``): the name after "we
     propose/present/introduce", "called/dubbed/named X", "the proposed X",
     "a newly designed X Y Decoder", "X, a novel ...", and the title prefix
     "X: ..." / "X -- ...". The label comes from the type noun next to the name
     ("a new dataset X", "X, a benchmark comprising ..." -> Dataset; else Method);
   * context rules (``extractors/patterns/entity_patterns.jsonl``): "the X
     dataset", "X and Y benchmarks", "models such as A, B and C", "the recent X
     model", "tasks such as ...", "for <task phrase>", "experiments on A, B and C";
   * acronym definitions (Schwartz-Hearst, :mod:`.acronyms`), labelled by the
     long form's head noun or the noun after the parenthesis;
   * the gazetteer span rulers (:mod:`.gazetteer`) and metric shapes;
   * the statistical NER (:mod:`.ner_bridge`), if installed.
2. **Overlaps** are resolved by source priority, then length: introduction >
   acronym > context rule > gazetteer > propagated mention > NER. NER therefore
   only fills gaps; a NER span overlapping any rule/gazetteer span is dropped.
3. **Labels** are decided per entity (all mentions of one key share one label):
   introduction label > context label > gazetteer label > acronym head > NER.
4. **Names**: the gazetteer id when a gazetteer matched, else the surface
   (tidied). An acronym and its long form are one entity (the acronym names a
   Method/Dataset, the long form names a Task/Metric; the other is an alias).
5. **Junk filter** (:func:`is_junk`, data in ``extractors/patterns/stoplist.jsonl``
   and the lexicon's generic-word lists) rejects stop words, "our method",
   "state-of-the-art", generic families ("LLMs", "transformers"), numbers,
   single lower-case words (outside the gazetteer) and phrases made only of
   generic words. NER spans must in addition contain a capitalised or
   name-shaped token (Method/Dataset) or end in a task/metric head word.
6. **Propagation**: every other occurrence of an accepted name (or its
   acronym/long form) in title or abstract becomes a mention too.
7. **Mentions the graph leaves out** (:meth:`MentionResolver._mention_tier`):
   NER spans in the gaps left by steps 1-6 that the name-shape and junk gates
   turned down ("deep neural networks", "beam search", "parsing") are still
   mentions of a method or task. They go to ``Doc._.kg_mentions_only`` and the
   record (``"graph": false``), never to relations, results or nodes; only what
   is no mention at all (:meth:`MentionResolver.is_noise`: "our method",
   "baselines", a number) is dropped. Rules give the graph its precision, the
   model gives extraction its recall.

Results: ``Doc._.kg_entities`` (mention dicts with token offsets),
``Doc._.kg_groups`` (one dict per entity: name, label, aliases, introduced,
evidence), ``doc.spans["kg_entities"]`` and ``doc.ents``; the mentions of
step 7 in ``Doc._.kg_mentions_only`` and ``doc.spans["kg_mentions_only"]``.
"""

from __future__ import annotations

import re
from collections import defaultdict

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from kg.schema import display_name, entity_key
from extractors.components.acronyms import match_long_form, is_short_form
from extractors.components.gazetteer import GAZ_AMBIGUOUS_KEY, GAZ_KEY, SHAPES_KEY, alias_index, metric_table
from extractors.components.lexicon import (PATTERNS_DIR, classify_text, doc_views, lexicon_sets, load_lexicon,
                                          load_patterns, read_jsonl)

LABELS = ("Method", "Dataset", "Task", "Metric")

for _name, _default in (("kg_entities", None), ("kg_groups", None), ("kg_cues", None), ("kg_mentions_only", None)):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)

PRIO = {"intro": 60, "title": 58, "acronym": 50, "context": 40, "shape": 38, "gazetteer": 36,
        "propagate": 20, "ner": 10}

_QUOTES_OPEN = {'"': '"', "“": "”", "``": "''", "'": "'", "‘": "’", "`": "'"}
_STOP_SCAN = lexicon_sets()["intro_scan_stops"]
_PLURAL_ACRONYM = re.compile(r"[A-Z][A-Za-z0-9-]*[A-Z0-9]s")
_ARTICLES = frozenset({"the", "a", "an"})
_TITLE_SEPARATORS = frozenset({":", "--", "—", "–", "-"})
_SURVEY_WORDS = lexicon_sets()["survey_words"]
#: a title opening with these asks a question ("Can X Learn Faster: ...") and names nothing
_QUESTION_OPENERS = lexicon_sets()["question_openers"]
_POSSESSIVE = frozenset({"'s", "’s", "'", "’"})
#: a publication year in a citation ("2017", "2016a")
_CITED_YEAR = re.compile(r"(?:19|20)\d\d[a-z]?")
#: nouns that make the name before them something other than a method ("the ESCO taxonomy")
_NOT_METHOD_HEADS = lexicon_sets()["not_method_heads"]
_RESULT_VERBS = lexicon_sets()["result_subject_verbs"]


class Cand:
    __slots__ = ("start", "end", "label", "source", "rule", "conf", "gaz_id", "intro", "intro_sent",
                 "pair", "prio", "quoted", "weak", "gaz_label", "strong", "submodule")

    def __init__(self, start, end, label, source, rule, conf, prio, gaz_id="", intro=False, intro_sent=None,
                 pair=None, quoted=False, weak=False, strong=False):
        self.start, self.end, self.label, self.source, self.rule = start, end, label, source, rule
        self.conf, self.prio, self.gaz_id, self.intro, self.intro_sent = conf, prio, gaz_id, intro, intro_sent
        self.pair, self.quoted, self.weak, self.strong = pair, quoted, weak, strong
        self.gaz_label = label if source == "gazetteer" else None
        self.submodule = False

    def __repr__(self):
        return f"Cand({self.start},{self.end},{self.label},{self.rule},{self.prio})"


@Language.factory("kg_mentions", default_config={"use_ner": True})
def make_mentions(nlp: Language, name: str, use_ner: bool):
    return MentionResolver(nlp, use_ner)


class MentionResolver:
    def __init__(self, nlp: Language, use_ner: bool = True):
        self.use_ner = use_ner
        self.lex = load_lexicon()
        self.sets = lexicon_sets()
        self.rules: dict[str, dict] = {}
        for record in load_patterns("entity_patterns.jsonl"):
            self.rules.setdefault(record["id"], record)
        self.stop_keys: dict[str, set[str] | None] = {}
        self.noise_keys: dict[str, set[str]] = {}
        self.searchable_keys: set[str] = set()
        for record in read_jsonl(PATTERNS_DIR / "stoplist.jsonl"):
            labels = record.get("labels")
            # entries apply to Method/Dataset/Task unless they name their labels
            # (metric words such as "accuracy" are handled by the weak-metric rule)
            self.stop_keys[entity_key(record["text"])] = set(labels) if labels else {"Method", "Dataset", "Task"}
            if record.get("reason") == "searchable family":
                self.searchable_keys.add(entity_key(record["text"]))
            if record.get("reason") not in ("generic family", "searchable family"):  # a family ("CNNs") is a mention
                self.noise_keys[entity_key(record["text"])] = self.stop_keys[entity_key(record["text"])]
        s = self.sets
        self.junk_words = s["generic_words"] | s["stop_words"] | s["quality_modifiers"] | s["generic_tokens"]
        self.trim_words = s["quality_modifiers"] | s["stop_words"]
        self.latex_debris = s["latex_debris"]
        self.dataset_nouns = s["dataset_nouns_strong"]
        self.method_nouns = s["method_nouns"]
        self.lowercase_method_heads = s["lowercase_method_heads"]
        self.adjective_endings_generic = ("-based", "-like", "-style")
        self.adjective_endings = tuple(s["adjective_endings"])
        self.task_nouns = s["task_nouns"]
        self.task_heads = s["task_heads"]
        self.task_heads_strong = s["task_heads_strong"]
        self.metric_heads = s["metric_heads"]
        self.method_heads = frozenset(w.lower() for w in s["method_heads_title"])
        self.metrics = metric_table()
        self.aliases = alias_index()
        self.verb_like = s["verb_like"]
        self.languages = s["languages"]

    # ------------------------------------------------------------------ main
    def __call__(self, doc: Doc) -> Doc:
        ctx = _Ctx(doc, self)
        self._cues(ctx)
        cands: list[Cand] = []
        cands += self._gazetteer(ctx)
        cands += self._cue_objects(ctx)
        cands += self._context_rules(ctx)
        cands += self._acronyms(ctx)
        cands += self._introductions(ctx)
        cands += self._title_prefix(ctx)
        if self.use_ner:
            cands += self._ner(ctx)
        accepted = self._resolve(ctx, cands)
        self._write(ctx, accepted)
        self._write_mentions_only(ctx, self._mention_tier(ctx, accepted) if self.use_ner else [])
        return doc

    # ------------------------------------------------------------ candidates
    def _gazetteer(self, ctx) -> list[Cand]:
        doc = ctx.doc
        out = []
        for span in doc.spans.get(GAZ_KEY, []):
            if len(span) == 1:
                text, ident = span.text, span.id_ or span.text
                cls = ctx.cls[span.start]
                # a one-word name that is also an English word: only capitalised mid-sentence
                if cls in ("CAP", "LOW") and span.label_ != "Task" and (
                        ctx.is_sent_start[span.start] or span.start < ctx.title_end):
                    continue
                # "complex" is not ComplEx, "align" is not ALIGN, "realm" is not REALM
                if text.islower() and (any(ch.isupper() for ch in ident[1:]) or ident.isupper()):
                    continue
                # an all-capital acronym ("VITS") is not its mixed-case look-alike ("ViTs")
                if ident.isupper() and len(ident) > 1 and not text.rstrip("s").isupper() and \
                        entity_key(text) in (entity_key(ident), entity_key(ident) + "s"):
                    continue
            out.append(Cand(span.start, span.end, span.label_, "gazetteer", "gazetteer", 0.8, PRIO["gazetteer"],
                            gaz_id=span.id_ or ""))
            prefix = self._name_prefix(ctx, span.start)
            if span.label_ == "Method" and prefix is not None:
                # "Grounding DINO", "Chinese BERT": a capitalised word before a known model in
                # running text names another model built from it, not the known one
                out.append(Cand(prefix, span.end, "Method", "context", "rule:name_prefix", 0.75, PRIO["context"]))
        for span in doc.spans.get(GAZ_AMBIGUOUS_KEY, []):
            nxt = ctx.lower(span.end)
            ok = ((span.label_ == "Dataset" and nxt in self.dataset_nouns)
                  or (span.label_ == "Method" and nxt in ("model", "models", "architecture", "network", "algorithm", "method", "optimizer", "backbone", "encoder"))
                  or (span.label_ == "Task" and nxt in ("task", "tasks", "problem"))
                  or (span.label_ == "Metric" and nxt in ("metric", "score", "scores", "metrics")))
            if ok:
                out.append(Cand(span.start, span.end, span.label_, "gazetteer", "gazetteer", 0.7, PRIO["gazetteer"],
                                gaz_id=span.id_ or ""))
        for span in doc.spans.get(SHAPES_KEY, []):
            canonical = self.metrics.canonical(span.text) or _metric_shape_name(span.text)
            out.append(Cand(span.start, span.end, "Metric", "gazetteer", "metric_shape", 0.8, PRIO["shape"],
                            gaz_id=canonical))
        return out

    def _name_prefix(self, ctx, start: int) -> int | None:
        """Where a name that ends in a known model name starts, if a capitalised
        word mid-sentence (not in the title, not a name of its own) leads it."""
        k = start - 1
        if k < ctx.title_end or ctx.is_sent_start[start] or ctx.is_sent_start[k]:
            return None
        text = ctx.doc[k].text
        if ctx.cls[k] != "CAP" or not text.isalpha() or len(text) < 3:
            return None
        low = text.lower()
        if low in self.junk_words or low in self.sets["first_person"] or ctx.gazetteer_known(k, k + 1):
            return None
        return k

    def _context_rules(self, ctx) -> list[Cand]:
        doc = ctx.doc
        out: list[Cand] = []
        for anchor in doc.spans.get("kg_anchors", []):
            rid, start, end = anchor.label_, anchor.start, anchor.end
            rule = self.rules[rid]
            label, conf, take = rule["label"], rule.get("conf", 0.7), rule["take"]
            if take == "left_task":
                cand = self._task_phrase(ctx, start, end)
                if cand:
                    out.append(cand)
                continue
            if take == "right_list":
                if rule.get("requires") == "value_before" and not ctx.value_before(start):
                    continue
                weak = rule.get("weak", False)
                for ls, le in ctx.list_right(end, task=(label == "Task"), metric=(label == "Metric"),
                                             names_only=rule.get("names_only", False)):
                    if label in ("Method", "Dataset") and (ctx.known_task(ls, le) or ctx.concept_acronym(ls, le)):
                        continue
                    out.append(Cand(ls, le, label, "context", f"rule:{rid}", conf, PRIO["context"], weak=weak))
                continue
            # "left" / "left_incl": the name-shaped words before the anchor
            s = ctx.name_start_before(start)
            if s is None:
                continue
            e = end if take == "left_incl" else start
            s, e = ctx.trim(s, e)
            if e <= s or not ctx.namey(s, e, allow_sent_start=rid.startswith("dataset")):
                continue
            if rid == "method_noun" and ctx.cls[s] == "CAP" and e - s == 1 and ctx.is_sent_start[s]:
                continue
            if rid == "method_noun" and take == "left" and ctx.titled_type_noun(s, start, end):
                # "the Pointer Network", "our Recipe Encoder": the capitalised noun is part of the name,
                # and so are capitalised words after it ("Trust Region Policy Optimization")
                e = end
                while e < min(len(doc), end + 3) and ctx.cls[e] in ("CAP", "NAME") and not ctx.is_sent_start[e]:
                    e += 1
            if take == "left_incl" and e - s < 2:
                continue
            if ctx.known_task(s, e) or ctx.concept_acronym(s, e):
                continue  # "MMD datasets", "SLT methods", "PSF models": the name is a task/concept
            out.append(Cand(s, e, label, "context", f"rule:{rid}", conf, PRIO["context"]))
            if rule.get("list") == "left":
                for ls, le in ctx.list_left(s):
                    out.append(Cand(ls, le, label, "context", f"rule:{rid}", conf - 0.05, PRIO["context"]))
        return out

    def _task_phrase(self, ctx, start: int, end: int) -> Cand | None:
        """A task phrase ("open-domain question answering") in a task context."""
        doc = ctx.doc
        in_title = start < ctx.title_end
        s, e = start, end
        limit = max(ctx.sent_start[start], start - 4)
        while s > limit:
            k = s - 1
            low = ctx.lower(k)
            if ctx.cls[k] not in ("LOW", "CAP", "NUMUNIT") or low in self.verb_like or low in self.trim_words:
                break
            if low.endswith("ing") and low not in self.task_heads and low not in ("training",):
                break
            if ctx.lower(k - 1) == "to":  # "to accomplish X": an infinitive, not a modifier
                break
            s = k
        while s < e - 1 and (ctx.lower(s) in self.trim_words or ctx.lower(s).endswith("ly")):
            s += 1
        # "a real world video classification problem": a known task name ending the phrase is
        # the name; the words before it describe this instance of it. A hyphenated qualifier
        # ("open-set", "cross-lingual") names a sub-task and stays.
        known = [g.start for g in doc.spans.get(GAZ_KEY, []) if g.label_ == "Task" and g.end == e and s < g.start]
        if known and not ctx.gazetteer_known(s, e) and not any("-" in doc[k].text for k in range(s, min(known))):
            s = min(known)
        if e - s < 2:
            return None
        head = ctx.lower(e - 1)
        before = ctx.lower(s - 1) if s > 0 else ""
        after = ctx.lower(e) if e < len(doc) else ""
        if in_title and e < ctx.title_end and ctx.cls[e] in ("CAP", "NAME") and after not in self.task_nouns:
            return None  # "Drone Navigation Policies": the phrase goes on
        strong = head in self.task_heads_strong
        ok = False
        if after in self.task_nouns or (after == "(" and ctx.pair_at_short(e + 1) is not None):
            ok = True
        elif strong and before in ("for", "towards", "toward", "tackle", "tackles", "tackling", "address",
                                   "addresses", "addressing", "solve", "solves", "solving", "study", "studies",
                                   "studying", "on", "in", "and", "or", ","):
            ok = before not in ("on", "in", "and", "or", ",") or self._task_list_context(ctx, s)
            if before in ("for", "towards", "toward"):
                ok = True
        elif in_title and strong and before in ("for", "towards", "toward", "in", "on", "via", "of", "with"):
            ok = True
        if not ok:
            return None
        return Cand(s, e, "Task", "context", "rule:task_phrase", 0.7, PRIO["context"])

    def _task_list_context(self, ctx, s: int) -> bool:
        """Is the phrase at ``s`` inside "tasks such as ..." / "results on ..."?"""
        lo = max(ctx.sent_start[s], s - 14)
        words = [ctx.lower(k) for k in range(lo, s)]
        return any(w in ("task", "tasks", "problems", "applications", "results", "performance", "including",
                         "such", "like") for w in words)

    def _acronyms(self, ctx) -> list[Cand]:
        doc = ctx.doc
        out = []
        for pair in doc._.kg_acronyms or []:
            (ss, se), (ls, le) = pair["short"], pair["long"]
            label, weak = self._acronym_label(ctx, ss, se, ls, le)
            key = (ss, se, ls, le)
            strong = label is not None and not weak
            if ctx.generic_short(ss, se):
                continue
            out.append(Cand(ss, se, label, "acronym", "rule:acronym", 0.75, PRIO["acronym"], pair=key, weak=weak,
                            strong=strong))
            out.append(Cand(ls, le, label, "acronym", "rule:acronym", 0.75, PRIO["acronym"], pair=key, weak=weak,
                            strong=strong))
        return out

    def _acronym_label(self, ctx, ss, se, ls, le) -> tuple[str | None, bool]:
        """Label implied by the long form's head word or the noun after it."""
        doc = ctx.doc
        close = max(se, le)
        after = ctx.lower(close + 1) if close < len(doc) and ctx.text(close) == ")" else ctx.lower(close)
        head = ctx.lower(le - 1)
        head = head.rstrip("s") if head not in self.task_heads_strong and head.rstrip("s") in self.task_heads_strong else head
        titled = ctx.titlecase(ls, le)
        if after in self.dataset_nouns:
            return "Dataset", False
        if head in self.dataset_nouns:
            return "Dataset", False
        if after in ("task", "tasks", "problem", "problems") or head in self.task_heads_strong \
                or ctx.lower(le - 1) in self.task_heads_strong:
            return "Task", False
        if head in ("problem", "problems", "task"):
            return "Task", False
        if head in self.metric_heads or after in ("metric", "metrics", "score"):
            return "Metric", False
        if after in ("model", "models", "network", "networks", "module", "architecture", "framework", "method",
                     "approach", "pipeline", "algorithm", "layer", "layers", "block", "loss", "encoder",
                     "decoder", "mechanism", "strategy", "technique", "initialization", "attention", "training",
                     "policy", "agent", "simulator", "head", "variant", "variants", "backbone", "system"):
            return "Method", not titled
        if head in self.method_heads and titled:
            return "Method", False  # a Title Case name with a method head ("Dynamic Sparse Training")
        return None, True

    # ---------------------------------------------------------- introductions
    def _cues(self, ctx) -> None:
        """Cue matches (from :mod:`.matching`) by type."""
        doc = ctx.doc
        for span in doc.spans.get("kg_cues", []):
            ctx.cues[span.label_].append((span.start, span.end))

    def _cue_objects(self, ctx) -> list[Cand]:
        """Name-shaped words right after a use/comparison cue are methods:
        "built on top of SOTA ZoeDepth", "outperforms DeepFoo", "than the recent X"."""
        out = []
        allowed = self.sets["method_use_cues"]
        for cue in ("USE", "COMPARE"):
            for start, end in ctx.cues.get(cue, []):
                if start < ctx.title_end or ctx.span_text(start, end).lower() not in allowed:
                    continue
                k = end
                limit = min(ctx.sent_end[start], end + 4)
                while k < limit and (ctx.lower(k) in ("the", "a", "an", "recent", "strong", "popular", "sota",
                                                       "state-of-the-art", "pretrained", "pre-trained", "original",
                                                       "vanilla", "standard", "existing", "prior", "previous",
                                                       "powerful", "frozen", "off-the-shelf", "base", "public")
                                     or ctx.text(k) == "SOTA"):
                    k += 1
                if k >= limit or ctx.cls[k] != "NAME" or ctx.lowercase_led(k):
                    continue
                for a, b in ctx.list_right(k, names_only=True):
                    if ctx.lower(b) in self.dataset_nouns or ctx.lower(b) in self.task_nouns or ctx.known_task(a, b) \
                            or ctx.concept_acronym(a, b) or ctx.lowercase_led(a) or ctx.lower(b) in _NOT_METHOD_HEADS:
                        break
                    out.append(Cand(a, b, "Method", "context", f"rule:{cue.lower()}_object", 0.65, PRIO["context"],
                                    weak=True))
        # "QuillNet obtains 4.35 PPL": a name-shaped subject of a result verb is a method
        for k in range(ctx.title_end, len(ctx.doc) - 1):
            if ctx.cls[k] != "NAME" or ctx.lowercase_led(k) or (k > 0 and ctx.cls[k - 1] in ("NAME", "CAP")):
                continue
            e = ctx.extend_name(k, ctx.sent_end[k])
            if ctx.lower(e) in _RESULT_VERBS and ctx.lower(k - 1) not in ("on", "of", "for", "in", "from", "with",
                                                                         "than", "over", "and", "or", ","):
                if ctx.known_task(k, e) or ctx.concept_acronym(k, e):
                    continue
                out.append(Cand(k, e, "Method", "context", "rule:result_subject", 0.6, PRIO["context"], weak=True))
        return out

    def _introductions(self, ctx) -> list[Cand]:
        out: list[Cand] = []
        for cue in ("INTRO", "NAMING", "PROPOSED", "OUR", "DESIGN"):
            for start, end in ctx.cues.get(cue, []):
                if start < ctx.title_end:
                    continue
                for cand in self._scan_intro(ctx, cue, start, end):
                    out.append(cand)
        out += self._appositives(ctx)
        out += self._intro_components(ctx)
        return out

    def _intro_components(self, ctx) -> list[Cand]:
        """Title-case method acronyms defined in an introduction sentence, after its
        cue, are components the paper designs: "We present X with (1) a
        Global-to-Local (G2L) module ..."."""
        out = []
        doc = ctx.doc
        intro_starts = [a for a, _ in ctx.cues.get("INTRO", []) if a >= ctx.title_end]
        for pair in doc._.kg_acronyms or []:
            (ss, se), (ls, le) = pair["short"], pair["long"]
            first = min(ss, ls)
            cue = next((a for a in intro_starts if ctx.sent_start[a] == ctx.sent_start[first] and a < first), None)
            if cue is None or not ctx.titlecase(ls, le):
                continue
            if any(cue < a < first for c in ("USE", "COMPARE") for a, _ in ctx.cues.get(c, [])):
                continue
            if ctx.gazetteer_known(ss, se) or ctx.gazetteer_known(ls, le):
                continue
            label, weak = self._acronym_label(ctx, ss, se, ls, le)
            if label != "Method":
                continue
            sent = (ctx.sent_start[first], ctx.sent_end[first])
            key = (ss, se, ls, le)
            for a, b in ((ss, se), (ls, le)):
                out.append(Cand(a, b, "Method", "intro", "rule:intro_component", 0.7, PRIO["intro"] - 5, intro=True,
                                intro_sent=sent, pair=key))
        return out

    def _typed_appositive(self, ctx, e: int) -> bool:
        """", a (new|simple|...) method/framework/dataset ..." right after ``e``."""
        if ctx.text(e) != "," or ctx.lower(e + 1) not in ("a", "an"):
            return False
        for k in range(e + 2, min(len(ctx.doc), e + 6)):
            low = ctx.lower(k)
            if low in self.method_nouns or low in self.dataset_nouns:
                return True
            if low in (",", ".", ";", "that", "which", "where", "of", "for", "to"):
                return False
        return False

    def _scan_intro(self, ctx, cue: str, cue_start: int, cue_end: int) -> list[Cand]:
        doc = ctx.doc
        sent_end = ctx.sent_end[cue_start]
        if cue == "NAMING":
            window = 3
        elif cue in ("PROPOSED", "OUR", "DESIGN"):
            window = 1
        else:
            window = 22
        limit = min(sent_end, cue_end + window)
        found: list[tuple[float, int, int, str, tuple | None, bool]] = []  # score, s, e, kind, pair, quoted
        i = object_start = cue_end
        while i < limit:
            text, low, cls = ctx.text(i), ctx.lower(i), ctx.cls[i]
            if text in _QUOTES_OPEN and cue in ("INTRO", "NAMING"):
                close = ctx.find_close_quote(i, sent_end)
                if close and 1 <= close - i - 1 <= 8:
                    s, e = i + 1, close
                    if any(ctx.text(k)[:1].isupper() for k in range(s, e)):
                        pair = ctx.pair_at_short(close + 2) if ctx.text(close + 1) == "(" else None
                        found.append((5.0, s, e, "quoted", pair, True))
                        break
                i += 1
                continue
            pair = ctx.pair_at_long(i)
            if pair is not None:
                ls, le, ss, se = pair
                titled = ctx.titlecase(ls, le)
                nxt = ctx.lower(se + 1) if ctx.text(se) == ")" else ""
                if titled:
                    found.append((4.0, ls, le, "acronym", (ss, se, ls, le), False))
                    break
                if cue in ("INTRO", "NAMING") and self._direct_object(ctx, cue_end, ls):
                    # "we propose instance cross entropy (ICE)", "a training method, called
                    # look-up table quantization (LUT-Q)": a term defined with an acronym as the
                    # object of the cue is the paper's own, whatever its case
                    found.append((3.5, ls, le, "acronym", (ss, se, ls, le), False))
                    break
                if nxt in self.method_nouns or nxt in self.dataset_nouns:
                    found.append((1.0, ls, le, "acronym", (ss, se, ls, le), False))
                i = max(se + 1, i + 1)
                continue
            if (cls == "NAME" and not ctx.lowercase_led(i)) or (cls == "CAP" and not ctx.is_sent_start[i]):
                s = i
                e = ctx.extend_name(i, sent_end)
                inner = next((ctx.pair_at_long(j) for j in range(s + 1, e) if ctx.pair_at_long(j)), None)
                if inner is not None and inner[1] == e and ctx.titlecase(s, e):
                    # Schwartz-Hearst stops at the shortest long form; the capitalised run is the name
                    ls, le, ss, se = inner
                    found.append((4.0, s, e, "acronym", (ss, se, s, e), False))
                    break
                if ctx.defined_before(s, e, ctx.sent_start[cue_start]):
                    i = e  # an acronym the abstract defined earlier as an existing concept ("ISP")
                    continue
                if ctx.lower(e) in ("-based", "-like", "-style", "-driven", "-guided", "-powered", "-inspired",
                                    "-aware", "-generated", "-centric", "-specific", "-enhanced", "-augmented",
                                    "-assisted", "-conditioned"):
                    i = e + 1
                    continue
                if ctx.known_task(s, e):
                    i = e
                    continue
                if cue in ("PROPOSED", "OUR") and s != object_start:
                    break
                has_name = any(ctx.cls[k] == "NAME" for k in range(s, e))
                head = ctx.text(e - 1)
                after = ctx.text(e) if e < len(doc) else ""
                if has_name and ctx.lower(e) in self.method_nouns and ctx.lower(e + 1) in self.sets["naming_cues"]:
                    i = e  # "an innovative METL strategy called SHERL": the name comes after the cue
                    continue
                if has_name:
                    if cue == "OUR" and ctx.lower(e) not in self.method_nouns and ctx.lower(e) not in self.dataset_nouns \
                            and ctx.lower(e) not in _POSSESSIVE:
                        break
                    found.append((3.0, s, e, "name", None, False))
                    break
                if e - s >= 2 and head in self.sets["method_heads_title"] | self.sets["dataset_nouns_title"] \
                        and not all(ctx.lower(k) in self.junk_words for k in range(s, e - 1)):
                    found.append((2.0, s, e, "submodule", None, False))
                    break
                if cue in ("NAMING",) or (e - s <= 3 and (s == cue_end or (s == cue_end + 1 and ctx.lower(cue_end) in ("the", "a", "an")))
                                          and after in (",", "(", "-", "--", ":", ".", "—", "–", ";", "") and cue == "INTRO"):
                    if not all(ctx.lower(k) in self.junk_words for k in range(s, e)) or \
                            (e - s >= 2 and ctx.titlecase(s, e) and self._typed_appositive(ctx, e)):
                        # "we present In-Context Pretraining, a new approach ...": the appositive
                        # type noun makes a title-case run of common words a name
                        found.append((2.5, s, e, "capname", None, False))
                        break
                i = e
                continue
            if low in _STOP_SCAN and not (cue == "NAMING" and low == "as"):
                break
            if cue in ("PROPOSED", "OUR", "DESIGN") and low not in ("the", "a", "an", "new", "novel"):
                # "our proposed training algorithm, BoostResNet, ...": the name follows its type
                comma = self._type_then_comma(ctx, i, sent_end)
                if comma is None:
                    break
                i, limit = comma + 1, min(sent_end, comma + 2)
                object_start = i
                continue
            i += 1
        if not found:
            return []
        score, s, e, kind, pair, quoted = max(found, key=lambda f: (f[0], -f[1]))
        if cue == "DESIGN" and kind not in ("submodule", "acronym"):
            return []
        label = self._intro_label(ctx, cue_end, s, e, pair)
        if label is None:
            return []
        rule = {"INTRO": "rule:intro", "NAMING": "rule:naming", "PROPOSED": "rule:proposed", "OUR": "rule:our",
                "DESIGN": "rule:design"}[cue]
        conf = {"INTRO": 0.9, "NAMING": 0.85, "PROPOSED": 0.75, "OUR": 0.7, "DESIGN": 0.75}[cue]
        if kind == "capname":
            conf -= 0.1
        if cue == "NAMING" and not ctx.sentence_has(cue_start, ("INTRO", "DESIGN", "OUR")) and \
                ctx.lower(cue_start) in ("known", "referred"):
            conf -= 0.25
        sent = (ctx.sent_start[cue_start], sent_end)
        intro = label in ("Method", "Dataset") and conf >= 0.6
        if cue in ("NAMING", "PROPOSED") and not ctx.first_person(cue_start):
            intro = False  # "a new paradigm was presented, called X": someone else's work
            conf -= 0.15
        cands = [Cand(s, e, label, "intro", rule, conf, PRIO["intro"], intro=intro, intro_sent=sent, quoted=quoted,
                      pair=pair)]
        if pair:
            ss, se, ls, le = pair
            other = (ss, se) if (s, e) == (ls, le) else (ls, le)
            cands.append(Cand(other[0], other[1], label, "intro", rule, conf, PRIO["intro"], intro=intro,
                              intro_sent=sent, pair=pair))
        elif cue == "NAMING" and is_short_form(ctx.text(s)) and e - s == 1:
            # "Long Form Name, dubbed ACRO": Schwartz-Hearst against the words before the cue
            long = self._long_before(ctx, s, cue_start)
            if long:
                key = (s, e, long[0], long[1])
                cands[0].pair = key
                cands.append(Cand(long[0], long[1], label, "intro", rule, conf, PRIO["intro"], intro=intro,
                                  intro_sent=sent, pair=key))
        # "Interval Continual Learning (InterContiNet)": a parenthesised name is an alias
        if pair is None and ctx.text(e) == "(" and ctx.text(e + 2) == ")" and ctx.cls[e + 1] == "NAME" \
                and kind in ("capname", "submodule", "quoted") and e + 1 < sent_end:
            key = (e + 1, e + 2, s, e)
            cands[0].pair = key
            cands.append(Cand(e + 1, e + 2, label, "intro", rule, conf, PRIO["intro"], intro=intro,
                              intro_sent=sent, pair=key))
        # coordination: "we introduce X and Y"
        if kind in ("name", "quoted") and ctx.lower(e) == "and" and e + 1 < sent_end and ctx.cls[e + 1] == "NAME":
            e2 = ctx.extend_name(e + 1, sent_end)
            cands.append(Cand(e + 1, e2, label, "intro", rule, conf - 0.1, PRIO["intro"], intro=intro,
                              intro_sent=sent))
        return cands

    def _direct_object(self, ctx, cue_end: int, start: int) -> bool:
        """Whether ``start`` opens the object of an introduction cue ending at ``cue_end``: right
        after it, after an article and adjectives, or after "a <type noun>," / "... called"."""
        between = [ctx.lower(k) for k in range(cue_end, start)]
        if all(w in ("a", "an", "the", "new", "novel", "simple") for w in between):
            return True
        if len(between) > 7 or between[-1] not in {",", ":", "-", "--", "—"} | self.sets["naming_cues"]:
            return False
        return any(w in self.method_nouns or w in self.dataset_nouns for w in between)

    def _type_then_comma(self, ctx, i: int, sent_end: int) -> int | None:
        """The comma closing "<lower-case words> <type noun>," from ``i`` (at most 4 words), if any."""
        for k in range(i, min(sent_end, i + 5)):
            if ctx.text(k) == ",":
                return k if k > i and (ctx.lower(k - 1) in self.method_nouns
                                       or ctx.lower(k - 1) in self.dataset_nouns) else None
            if ctx.cls[k] in ("NAME", "CAP") or ctx.lower(k) in _STOP_SCAN:
                return None
        return None

    def _long_before(self, ctx, short_i: int, cue_start: int) -> tuple[int, int] | None:
        doc = ctx.doc
        end = cue_start
        while end > 0 and ctx.text(end - 1) in (",", "(", "-", "--"):
            end -= 1
        start = max(ctx.sent_start[cue_start], end - 10)
        if end - start < 2:
            return None
        window = doc[start:end]
        off = match_long_form(ctx.text(short_i), window.text)
        if off is None:
            return None
        span = doc.char_span(window.start_char + off, window.end_char, alignment_mode="expand")
        if span is None or len(span) < 2 or len(span) > 10:
            return None
        return span.start, span.end

    def _intro_label(self, ctx, cue_end: int, s: int, e: int, pair) -> str | None:
        """Type noun next to an introduced name decides its label."""
        doc = ctx.doc
        end = e
        if pair:
            end = max(pair[1], pair[3])
            if ctx.text(end) == ")":
                end += 1
        while end < len(doc) and ctx.text(end) in ('"', "”", "''", "'", "’"):
            end += 1
        after = ctx.lower(end) if end < len(doc) else ""
        nouns_before = [ctx.lower(k) for k in range(cue_end, s)]

        def kind(word: str) -> str | None:
            if word in self.dataset_nouns:
                return "Dataset"
            if word in ("task", "problem", "challenge", "subtask"):
                return "Task"
            if word in ("metric", "measure"):
                return "Metric"
            if word in self.method_nouns:
                return "Method"
            return None

        label = kind(after)
        if label is None:
            label = self._appositive_kind(ctx, end, kind)
        if label is None:
            for word in reversed(nouns_before):
                label = kind(word)
                if label:
                    break
        if label is None and ctx.text(e - 1) in self.sets["dataset_nouns_title"]:
            label = "Dataset"
        if label is None:
            head = ctx.lower(e - 1)
            if head in self.task_heads_strong and not ctx.namey_token(e - 1):
                label = "Task"
        return label or "Method"

    def _appositive_kind(self, ctx, end: int, kind) -> str | None:
        """', a new large-scale dataset comprising ...' after a name -> its type."""
        doc = ctx.doc
        k = end
        if k < len(doc) and ctx.text(k) in (",", "-", "--", "—", "–", ":", "("):
            k += 1
        elif not (k < len(doc) and ctx.lower(k) in ("is", "as")):
            return None
        if k < len(doc) and ctx.lower(k) in ("is", "as"):
            k += 1
        if k >= len(doc) or ctx.lower(k) not in ("a", "an", "the", "our", "which", "that", "one"):
            return None
        limit = min(ctx.sent_end[end - 1] if end else len(doc), k + 10)
        found = None
        for j in range(k + 1, limit):
            low = ctx.lower(j)
            if low in (",", ";", "(", ":", "that", "which", "where", "to", "with", "comprising", "containing",
                       "consisting", "built", "designed", "trained", "aimed", "featuring", "covering", "for", "of",
                       "on", "in", "from", "by", "via", "using", "based", "whose", "and", "where", "capable"):
                break
            # the head of the noun phrase is its last type noun: "a training dataset" -> dataset
            found = kind(low) or found
        return found

    def _appositives(self, ctx) -> list[Cand]:
        """"X, a novel ..." / "X is a new ..." at the start of a sentence, and
        "..., with X, a synthetic data augmentation algorithm that ..." in a
        first-person sentence (an unknown name defined on the spot)."""
        out = []
        kind = lambda w: "Dataset" if w in self.dataset_nouns else ("Method" if w in self.method_nouns else None)  # noqa: E731
        allowed_use = self.sets["method_use_cues"]
        for i in range(ctx.title_end, len(ctx.doc)):
            if ctx.cls[i] != "NAME" or (i > 0 and ctx.cls[i - 1] in ("NAME", "CAP")) or ctx.lowercase_led(i):
                continue
            e = ctx.extend_name(i, ctx.sent_end[i])
            k = e
            if ctx.text(k) == ",":
                k += 1
            elif ctx.lower(k) == "is" and ctx.is_sent_start[i]:
                k += 1
            else:
                continue
            if ctx.lower(k) not in ("a", "an"):
                continue
            s0 = ctx.sent_start[i]
            window = [ctx.lower(j) for j in range(k + 1, min(k + 6, ctx.sent_end[i]))]
            if ctx.is_sent_start[i]:
                if not any(w in ("novel", "new", "first", "proposed") for w in window):
                    continue
            else:
                if not ctx.first_person(i) or ctx.gazetteer_known(i, e) or ctx.known_task(i, e):
                    continue
                cues_before = [ctx.span_text(a, b).lower() for c in ("USE", "COMPARE") for a, b in ctx.cues.get(c, [])
                               if s0 <= a < i]
                if any(c in allowed_use for c in cues_before) or any(
                        w in ("baseline", "baselines", "competitor", "prior", "previous", "existing", "state-of-the-art")
                        for w in window):
                    continue
            label = self._appositive_kind(ctx, e, kind)
            if label is None:
                continue
            sent = (s0, ctx.sent_end[i])
            out.append(Cand(i, e, label, "intro", "rule:appositive", 0.75 if ctx.is_sent_start[i] else 0.7,
                            PRIO["intro"], intro=True, intro_sent=sent))
        return out

    def _title_prefix(self, ctx) -> list[Cand]:
        """"X: A ..." / "X -- ..." titles name what the paper introduces."""
        doc = ctx.doc
        end = ctx.title_end
        if end <= 1:
            return []
        sep = None
        for k in range(min(end, 9)):
            if ctx.text(k) in _TITLE_SEPARATORS and k > 0 and (ctx.text(k) != "-" or doc[k - 1].whitespace_):
                sep = k
                break
        if sep is None:
            return self._title_name(ctx)
        if sep == 0:
            return []
        s, e = 0, sep
        if ctx.lower(0) in _ARTICLES and sep > 2:
            s = 1  # "The Variational Bandwidth Bottleneck: ..."
        rest = [ctx.lower(k) for k in range(sep + 1, end)]
        if any(w in _SURVEY_WORDS for w in rest[:4]):
            return []
        toks = list(range(s, e))
        has_name = any(ctx.cls[k] == "NAME" for k in toks)
        if e - s > 6 or any(ctx.text(k) in (",", "?", "!", "'", "’") for k in toks):
            return []
        if e - s > 1 and ctx.lower(s) in _QUESTION_OPENERS:
            return []
        if not has_name:
            if ctx.title_shouted:  # "LEARNING TO SHARE: ...": no case to tell a name from words
                return []
            if e - s > 3 or not all(ctx.text(k)[:1].isupper() for k in toks) or ctx.cls[s] == "STOP":
                return []
            if all(self.generic_word(ctx.lower(k), extra=self.task_heads) for k in toks):
                return []  # "Transductive Few-Shot Learning: ..." names a research area
            if ctx.lower(e - 1) in self.task_heads:
                return []
        if ctx.known_task(s, e):
            return []
        label = "Method"
        for k in range(sep + 1, min(end, sep + 8)):
            word = ctx.text(k)
            if word in self.sets["dataset_nouns_title"] or ctx.lower(k) in ("dataset", "benchmark", "corpus", "datasets", "benchmarks"):
                label = "Dataset"
                break
            if ctx.lower(k) in ("for", "of", "with", "to", "on", "via", "in", "and"):
                break
        sent = (0, end)
        return [Cand(s, e, label, "intro", "rule:title", 0.85, PRIO["title"], intro=True, intro_sent=sent)]

    def _acronym_of_title(self, ctx, s: int, e: int) -> bool:
        """Does the abstract define an acronym for the title's words ("graph attention networks (GATs)")?"""
        want = [w.rstrip("s") for w in self._words(ctx.span_text(s, e))]
        for pair in ctx.doc._.kg_acronyms or []:
            ls, le = pair["long"]
            if ls >= ctx.title_end and [w.rstrip("s") for w in self._words(ctx.span_text(ls, le))] == want:
                return True
        return False

    def _title_name(self, ctx) -> list[Cand]:
        """A whole title that is an architecture's name ("Polar Transformer Networks") names
        what the paper introduces, when the abstract says the name again (in any case or
        number): a title about a known family ("Deep Neural Networks") is all generic words
        and names nothing new."""
        end = ctx.title_end
        s = 1 if ctx.lower(0) in _ARTICLES else 0
        toks = range(s, end)
        heads = self.sets["title_name_heads"]
        if not 2 <= end - s <= 6 or ctx.title_shouted or ctx.lower(end - 1) not in heads:
            return []
        if any(not ctx.text(k)[:1].isupper() and ctx.text(k) != "-" for k in toks):
            return []
        if ctx.known_task(s, end):
            return []
        if all(self.generic_word(ctx.lower(k), extra=self.task_heads) or ctx.lower(k) in heads for k in toks) \
                and not self._acronym_of_title(ctx, s, end):
            return []  # "Deep Neural Networks"; but "Graph Attention Networks" defined as "(GATs)"
        words = [re.escape(ctx.lower(k)) for k in toks if ctx.text(k) != "-"]
        name = r"[\s-]+".join(words[:-1] + [re.sub(r"s$", "", words[-1])])
        abstract = ctx.doc.text[ctx.doc[end - 1].idx + len(ctx.text(end - 1)):].lower()
        if not re.search(r"\b" + name + r"s?\b", abstract):
            return []
        return [Cand(s, end, "Method", "intro", "rule:title_name", 0.8, PRIO["title"], intro=True,
                     intro_sent=(0, end))]

    def _ner(self, ctx) -> list[Cand]:
        """NER spans, cleaned: type nouns stripped ("OpenQA models" -> "OpenQA"),
        then held to name shape (see :meth:`_ner_ok`)."""
        doc = ctx.doc
        out = []
        for span in doc.spans.get("ner", []):
            label = span.label_
            if label not in LABELS:
                continue
            s, e = ctx.trim(span.start, span.end)
            if label in ("Method", "Dataset"):
                while e - s > 1 and (ctx.lower(e - 1) in self.method_nouns or ctx.lower(e - 1) in self.dataset_nouns
                                     or ctx.lower(e - 1) in ("type", "component", "components", "domain", "data",
                                                             "streams", "paradigm", "process", "processes")) \
                        and (any(ctx.cls[k] == "NAME" for k in range(s, e - 1)) or
                             (e - 1 - s >= 2 and all(ctx.cls[k] == "CAP" for k in range(s, e - 1)))):
                    e -= 1
                s, e = ctx.trim(s, e)
            if e <= s or not self._ner_ok(ctx, s, e, label):
                continue
            out.append(Cand(s, e, label, "ner", "ner", 0.5, PRIO["ner"]))
        return out

    def _lowercase_method_name(self, ctx, s: int, e: int) -> bool:
        """A lower-case method the NER found that names one thing: two to four words said at
        least twice in the abstract, ending in a method head (``lowercase_method_heads``), with
        two words before it that are neither generic nor quality words ("mixture density
        networks", "exponential linear units", "value iteration network"; not "deep neural
        networks", "shallow networks", "nonlinear neural networks": with one such word, half
        of what SciTLDR gave was a description, not a name)."""
        if not 2 <= e - s <= 4 or ctx.lower(e - 1) not in self.lowercase_method_heads:
            return False
        if any(ctx.cls[k] != "LOW" for k in range(s, e)):
            return False
        words = [ctx.lower(k) for k in range(s, e)]
        n = len(words)
        said = sum(1 for i in range(len(ctx.doc) - n + 1) if [ctx.lower(k) for k in range(i, i + n)] == words)
        if said < 2:  # a description in passing ("shallow networks"), not a method the paper talks about
            return False
        modifiers = words[:-1]
        return sum(1 for word in modifiers if word not in self.junk_words and word not in self.method_nouns
                   and len(word) > 2 and not word.endswith(self.adjective_endings_generic)) >= 2

    def _ner_ok(self, ctx, s: int, e: int, label: str) -> bool:
        """Precision gate for statistical spans: titles (Title Case) need a
        name-shaped word; methods/datasets must end in a name-shaped word, hold at
        most one lower-case word and not be a defined concept acronym; tasks must
        end in a task head word; metrics must be known or end in a metric word."""
        toks = range(s, e)
        cls = [ctx.cls[k] for k in toks]
        if s < ctx.title_end and "NAME" not in cls:
            return False
        if ctx.concept_acronym(s, e) or ctx.generic_short(s, e) or ctx.lowercase_led(s):
            return False
        if label == "Method" and self._lowercase_method_name(ctx, s, e):
            return True
        if label in ("Method", "Dataset"):
            if cls[-1] not in ("NAME", "CAP", "NUM"):
                return False
            if sum(1 for c in cls if c in ("LOW", "STOP")) > 1 or any(c == "STOP" and ctx.lower(k) not in ("of", "for", "and")
                                                                       for c, k in zip(cls, toks)):
                return False
            if len(cls) == 1 and cls[0] == "CAP" and not (ctx.lower(e) in self.method_nouns or ctx.lower(e) in self.dataset_nouns):
                return False
            return True
        if label == "Task":
            return ctx.lower(e - 1) in self.task_heads and "NAME" not in cls[:-1] or (
                ctx.lower(e - 1) in self.task_heads_strong)
        return True

    # ------------------------------------------------------------ resolution
    def _resolve(self, ctx, cands: list[Cand]) -> list[Cand]:
        doc = ctx.doc
        # a locally defined acronym overrides a gazetteer reading of the same letters
        # ("Dynamic Sparse Training (DST)" is not Dialogue State Tracking)
        local_short = {}
        for pair in doc._.kg_acronyms or []:
            (ss, se), (ls, le) = pair["short"], pair["long"]
            local_short[entity_key(ctx.span_text(ss, se))] = entity_key(ctx.span_text(ls, le))
        if local_short:
            gaz_long = {entity_key(c.gaz_id) for c in cands if c.source == "gazetteer" and c.gaz_id}
            kept = []
            for c in cands:
                if c.source == "gazetteer" and c.end - c.start == 1:
                    long_key = local_short.get(entity_key(ctx.span_text(c.start, c.end)))
                    if long_key is not None and long_key != entity_key(c.gaz_id or "") and \
                            long_key not in gaz_long and not self._gaz_alias_of(c, long_key):
                        continue
                kept.append(c)
            cands = kept
        # identical spans: merge knowledge (gazetteer id/label, context label, intro flags)
        by_span: dict[tuple[int, int], list[Cand]] = defaultdict(list)
        for c in cands:
            if c.end > c.start:
                by_span[(c.start, c.end)].append(c)
        merged: list[Cand] = []
        for (s, e), group in by_span.items():
            group.sort(key=lambda c: -c.prio)
            best = group[0]
            gaz = next((c for c in group if c.source == "gazetteer" and c.gaz_id), None)
            if gaz:
                best.gaz_id = best.gaz_id or gaz.gaz_id
                best.gaz_label = best.gaz_label or gaz.label
            for c in group[1:]:
                if c.intro and not best.intro:
                    best.intro, best.intro_sent = True, c.intro_sent
                if best.label is None and c.label:
                    best.label = c.label
                if c.pair and not best.pair:
                    best.pair = c.pair
                best.conf = max(best.conf, c.conf)
                best.weak = best.weak and c.weak
                best.strong = best.strong or c.strong
                best.quoted = best.quoted or c.quoted
            if best.source == "acronym" and best.label is None:
                ner = next((c for c in group if c.source == "ner"), None)
                if ner:
                    best.label, best.weak = ner.label, False
            merged.append(best)
        # acronym pairs: a label found for one form labels the other
        pair_label: dict[tuple, str] = {}
        for c in sorted(merged, key=lambda c: -c.prio):
            if c.pair and c.label and c.pair not in pair_label:
                pair_label[c.pair] = c.gaz_label if (c.gaz_label and not c.intro and not c.strong) else c.label
        for c in merged:
            if c.pair and c.label is None:
                for n in merged:
                    if n.source == "ner" and n.start >= c.start and n.end <= c.end:
                        pair_label.setdefault(c.pair, n.label)
        for c in merged:
            if c.pair and c.pair in pair_label and (c.label is None or c.source == "acronym"):
                c.label = pair_label[c.pair]
                if c.source == "acronym" and c.weak and any(n.pair == c.pair and n.gaz_id for n in merged):
                    c.weak = False
        merged = [c for c in merged if c.label in LABELS and not (c.weak and c.source == "acronym" and not c.gaz_id)]
        # overlaps: priority, then length
        merged.sort(key=lambda c: (-c.prio, -(c.end - c.start), c.start))
        taken = [False] * len(doc)
        accepted: list[Cand] = []
        for c in merged:
            if any(taken[k] for k in range(c.start, c.end)):
                continue
            if self.is_junk(ctx, c):
                continue
            for k in range(c.start, c.end):
                taken[k] = True
            accepted.append(c)
        # pairs broken by overlap lose their pairing
        spans = {(c.start, c.end) for c in accepted}
        for c in accepted:
            if c.pair:
                ss, se, ls, le = c.pair
                if (ss, se) not in spans and (ls, le) not in spans:
                    c.pair = None
        accepted += self._propagate(ctx, accepted, taken)
        accepted.sort(key=lambda c: c.start)
        return accepted

    def generic_word(self, word: str, extra: frozenset = frozenset()) -> bool:
        """A generic word: listed, or made only of listed parts ("vision-language")."""
        if word in self.junk_words or word in extra or not any(ch.isalpha() for ch in word):
            return True
        parts = [p for p in word.split("-") if p]
        return bool(parts) and all(p in self.junk_words or p in extra or not p.isalpha() for p in parts)

    def _gaz_alias_of(self, c: Cand, long_key: str) -> bool:
        """Does the gazetteer entry read by ``c`` have ``long_key`` (or something
        close to it) as a surface form - or no long form to compare with?"""
        from rapidfuzz import fuzz

        aliases = self.aliases.get(entity_key(c.gaz_id or ""), frozenset())
        longs = [a for a in aliases if len(a) > len(long_key) * 0.5 and len(a) > 6]
        if not longs:
            return True
        return any(fuzz.ratio(a, long_key) >= 80 for a in longs)

    def is_junk(self, ctx, c: Cand) -> bool:
        text = ctx.span_text(c.start, c.end)
        name = display_name(c.gaz_id or text)
        key = entity_key(name)
        if len(key) < 2 or not any(ch.isalpha() for ch in key):
            return True
        for k in (key, entity_key(text)):
            if k in self.stop_keys:
                if c.label in self.stop_keys[k]:
                    return True
        if ctx.generic_short(c.start, c.end) and not c.gaz_id and not c.intro:
            return True
        if c.source == "gazetteer":
            return False
        if ctx.lowercase_led(c.start) and not c.quoted:
            return True  # "all-LLM pipeline", "3B-parameter model"
        if "\\" in tidy_latex(text):
            return True  # "by~\\cite{smith2016", "\\TheName": a LaTeX command, not a name
        toks = range(c.start, c.end)
        if any(ctx.lower(k) in self.latex_debris for k in (c.start - 1, c.end, *toks)):
            return True  # "COrrection rightarrow ModificatIon ...": LaTeX left-overs, not a name
        if c.source == "context" and c.end - c.start == 1 and ctx.cls[c.start] == "CAP" \
                and ctx.cls[c.start - 1] == "NUM" if c.start > 0 else False:
            return True  # "Gemini 1.5 Flash models": a variant word cut off its model family
        if c.end - c.start == 1 and ctx.cited_author(c.end):
            return True  # "(Snell et al., 2017)", "(Andreas, 2016)": an author cited, not a method
        if c.end - c.start == 1 and c.label in ("Method", "Dataset") and ctx.lower(c.start) in self.languages:
            return True  # "experiments on English, French and Swedish": a language is a setting, not a dataset
        if self._adjective_of_a_name(ctx, c):
            return True
        lowers = [ctx.lower(k) for k in toks]
        titled_intro = c.intro and len(lowers) > 1 and ctx.titlecase(c.start, c.end)
        has_name = any(ctx.cls[k] == "NAME" for k in toks)
        if c.label in ("Method", "Dataset") and not (c.quoted or titled_intro or has_name):
            if all(self.generic_word(w) for w in lowers):
                return True
        if c.label in ("Task", "Metric") and all(w in self.trim_words or w in self.sets["stop_words"] for w in lowers):
            return True
        if not c.quoted and (lowers[0] in ("the", "a", "an", "our", "this", "these", "their", "its")
                             or (lowers[-1] in self.sets["stop_words"] and ctx.cls[c.end - 1] != "NAME")):
            return True
        if len(lowers) > (12 if c.source in ("acronym", "intro") else 7):
            return True
        if (not c.quoted and ctx.has_break(c.start, c.end)) or ctx.cut_across_brackets(c.start, c.end):
            return True
        lowercase_name = c.label == "Method" and c.source == "ner" and self._lowercase_method_name(ctx, c.start, c.end)
        if c.label in ("Method", "Dataset") and not c.quoted and c.source not in ("acronym",) and not lowercase_name:
            namey = any(ctx.cls[k] == "NAME" for k in toks) or any(
                ctx.cls[k] == "CAP" and (not ctx.is_sent_start[k] or len(lowers) > 1) for k in toks)
            if not namey:
                return True
        if c.source == "ner":
            if c.label == "Task":
                if lowers[-1] not in self.task_heads and not any(ctx.cls[k] == "NAME" for k in toks):
                    return True
                if len(lowers) == 1 and ctx.cls[c.start] != "NAME":
                    return True
            if c.label == "Metric":
                if not self.metrics.canonical(text) and lowers[-1] not in self.metric_heads:
                    return True
            if any(ctx.cls[k] == "NUM" for k in toks) and c.label != "Dataset":
                return True
            if c.label in ("Method", "Dataset") and all(ctx.cls[k] in ("CAP", "STOP", "LOW") for k in toks) \
                    and ctx.is_sent_start[c.start] and len(lowers) == 1:
                return True
        if c.label == "Task" and len(lowers) == 1 and ctx.cls[c.start] not in ("NAME",):
            return True
        return False

    def _adjective_of_a_name(self, ctx, c: Cand) -> bool:
        """"Residual Networks", "Prototypical Networks", "Euclidean embeddings":
        a capitalised adjective cut off the type noun it names a thing with is
        not a name by itself ("Residual"). Adjectives are told by their endings
        (lexicon ``adjective_endings``); nouns such as "Rainbow agent" stay."""
        if c.end - c.start != 1 or c.quoted or c.intro or c.pair or ctx.cls[c.start] != "CAP":
            return False
        word, after = ctx.lower(c.start), ctx.lower(c.end)
        if after not in self.method_nouns and after not in self.dataset_nouns and after not in ("embeddings", "spaces", "space"):
            return False
        return len(word) > 4 and word.isalpha() and any(word.endswith(end) for end in self.adjective_endings)

    def _propagate(self, ctx, accepted: list[Cand], taken: list[bool]) -> list[Cand]:
        """Further occurrences of accepted names become mentions too."""
        doc = ctx.doc
        forms: dict[str, list[tuple[tuple[str, ...], Cand]]] = defaultdict(list)
        for c in accepted:
            words = tuple(ctx.text(k) for k in range(c.start, c.end))
            if c.label == "Task" and all(ctx.cls[k] in ("LOW", "STOP") for k in range(c.start, c.end)):
                continue  # lower-case task phrases are found by their own rules
            if len(words) == 1 and ctx.cls[c.start] in ("LOW", "STOP"):
                continue
            forms[words[0]].append((words, c))
        if not forms:
            return []
        out = []
        n = len(doc)
        i = 0
        while i < n:
            options = forms.get(ctx.text(i))
            if not options or taken[i]:
                i += 1
                continue
            best = None
            for words, c in options:
                m = len(words)
                if i + m <= n and all(ctx.text(i + k) == words[k] for k in range(m)) and not any(taken[i + k] for k in range(m)):
                    if best is None or m > len(best[0]):
                        best = (words, c)
            if best is None:
                i += 1
                continue
            words, c = best
            m = len(words)
            # do not match inside a longer capitalised name ("COCO" in "COCO-Stuff" is a separate token anyway)
            new = Cand(i, i + m, c.label, "propagate", "rule:propagate", min(c.conf, 0.8), PRIO["propagate"],
                       gaz_id=c.gaz_id, pair=None)
            new.pair = ("same", c.start, c.end)
            for k in range(i, i + m):
                taken[k] = True
            out.append(new)
            i += m
        return out

    # ---------------------------------------------------------------- output
    def _mention_tier(self, ctx, accepted: list[Cand]) -> list[tuple[int, int, str]]:
        """NER spans in the gaps the graph's entities leave, that the graph gates
        turned down ("neural networks", "parsing", "accuracy" in passing).

        They are mentions of a method, task or metric all the same, and are
        reported as such (``graph: false`` in the record) so that extraction
        keeps the model's recall; no relation, result or node is made of them,
        so the graph keeps the rules' precision. Only what is no mention at all
        is dropped (:meth:`is_noise`)."""
        taken = [False] * len(ctx.doc)
        keys = set()
        for c in accepted:
            for k in range(c.start, c.end):
                taken[k] = True
            keys.add(entity_key(ctx.span_text(c.start, c.end)))
        out = []
        # a searchable family the gazetteer knows ("knowledge distillation", "CNNs") is a
        # mention before anything the model says about the same words
        for span in ctx.doc.spans.get(GAZ_KEY, []):
            s, e = span.start, span.end
            if span.label_ not in LABELS or any(taken[k] for k in range(s, e)):
                continue
            if entity_key(ctx.span_text(s, e)) not in self.searchable_keys:
                continue
            out.append((s, e, span.label_))
            for k in range(s, e):
                taken[k] = True
        for span in ctx.doc.spans.get("ner", []):
            if span.label_ not in LABELS:
                continue
            s, e = ctx.trim(span.start, span.end)
            if e <= s or any(taken[k] for k in range(s, e)):
                continue
            if entity_key(ctx.span_text(s, e)) in keys or self.is_noise(ctx, s, e, span.label_):
                continue
            out.append((s, e, span.label_))
        return out

    def linkable(self, ctx, s: int, e: int, label: str) -> bool:
        """Is a mention the graph's gates turned down still a name a researcher
        would search for ("LSTM", "PixelCNNs", "Polar Transformer Networks",
        "semantic parsing")? Those get a
        plain ``MENTIONS`` link from their paper, as do the stop list's
        searchable families ("CNNs", "knowledge distillation"). Not: its broad
        families ("LLMs", "deep learning"), one-word lower-case tasks
        ("parsing"), lower-case method or dataset phrases ("random networks":
        on the relations dev set three in four were descriptions, not names),
        and phrases of generic words only, which name a kind of thing."""
        text = ctx.span_text(s, e)
        if entity_key(text) in self.searchable_keys:
            return True
        if label in (self.stop_keys.get(entity_key(text)) or ()):
            return False
        lowers = [ctx.lower(k) for k in range(s, e)]
        named = any(ctx.cls[k] == "NAME" for k in range(s, e))
        if label == "Task" and len(lowers) == 1 and not named:
            return False
        if label == "Metric":
            return bool(self.metrics.canonical(text)) or lowers[-1] in self.metric_heads
        if label in ("Method", "Dataset"):
            # a lower-case phrase the model calls a method is, more often than not, a
            # description ("random networks", "greedy scheme"): only names link
            titled = len(lowers) > 1 and not ctx.is_sent_start[s] and ctx.titlecase(s, e)
            return named or titled
        if not named and all(self.generic_word(w) for w in lowers):
            return False
        return True

    def is_noise(self, ctx, s: int, e: int, label: str) -> bool:
        """Not a mention of anything: a stop word or a listed non-name ("our
        method", "state-of-the-art"), a phrase led by a determiner or ending in a
        function word, a number, LaTeX debris, or a fragment cut across brackets."""
        text = ctx.span_text(s, e)
        key = entity_key(text)
        if len(key) < 2 or not any(ch.isalpha() for ch in key):
            return True
        if label in self.noise_keys.get(key, ()):
            return True
        lowers = [ctx.lower(k) for k in range(s, e)]
        if lowers[0] in self.sets["stop_words"] or lowers[-1] in self.sets["stop_words"]:
            return True
        if all(ctx.cls[k] == "NUM" for k in range(s, e)) or "\\" in text:
            return True
        return ctx.has_break(s, e) or ctx.cut_across_brackets(s, e) or len(lowers) > 7

    def _write_mentions_only(self, ctx, spans: list[tuple[int, int, str]]) -> None:
        doc = ctx.doc
        doc._.kg_mentions_only = [
            {"start": s, "end": e, "label": label, "text": ctx.span_text(s, e),
             "name": display_name(tidy_latex(ctx.span_text(s, e))), "linked": self.linkable(ctx, s, e, label)}
            for s, e, label in spans]
        doc.spans["kg_mentions_only"] = [Span(doc, s, e, label=label) for s, e, label in spans]

    def _write(self, ctx, accepted: list[Cand]) -> None:
        doc = ctx.doc
        index = {(c.start, c.end): c for c in accepted}
        # union-find over mentions: same key, acronym pairs, propagated copies
        parent: dict[int, int] = {}

        def find(x):
            while parent.get(x, x) != x:
                parent[x] = parent.get(parent[x], parent[x])
                x = parent[x]
            return x

        def union(a, b):
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[rb] = ra

        ids = {id(c): n for n, c in enumerate(accepted)}
        by_key: dict[str, int] = {}
        for n, c in enumerate(accepted):
            name = display_name(c.gaz_id or tidy_latex(self._surface_name(ctx, c)))
            # "E^2-LLM" (title) and "E 2 -LLM" (a superscript flattened in the abstract) are one name
            key = entity_key(name).replace("^", "")
            if _PLURAL_ACRONYM.fullmatch(name):
                key = key[:-1]  # "GATs" and "GAT" in one abstract are one name
            if key in by_key:
                union(by_key[key], n)
            else:
                by_key[key] = n
            if c.pair and c.pair[0] == "same":
                origin = index.get((c.pair[1], c.pair[2]))
                if origin is not None:
                    union(ids[id(origin)], n)
            elif c.pair:
                ss, se, ls, le = c.pair
                for span in ((ss, se), (ls, le)):
                    other = index.get(span)
                    if other is not None:
                        union(ids[id(other)], n)
        self._merge_title_acronym(ctx, accepted, index, ids, union)
        groups: dict[int, list[int]] = defaultdict(list)
        for n in range(len(accepted)):
            groups[find(n)].append(n)
        entities = []
        group_info = []
        for gid, (root, members) in enumerate(sorted(groups.items(), key=lambda kv: min(kv[1]))):
            cs = [accepted[m] for m in members]
            label = self._group_label(cs)
            name, aliases = self._group_name(ctx, cs, label)
            intro = [c for c in cs if c.intro]
            extractor_best = max(cs, key=lambda c: c.prio)
            info = {
                "id": gid, "name": name, "key": entity_key(name), "label": label, "aliases": aliases,
                "introduced": bool(intro) and label in ("Method", "Dataset"),
                "intro": [{"sent": list(c.intro_sent), "rule": c.rule, "conf": c.conf, "start": c.start, "end": c.end}
                          for c in intro if c.intro_sent],
                "gazetteer": any(c.gaz_id for c in cs),
                "extractor": _extractor(extractor_best),
                "mentions": [],
                "weak": all(c.weak or c.source == "ner" for c in cs),
                "ner_only": all(c.source in ("ner", "propagate") for c in cs) and any(c.source == "ner" for c in cs),
                "weak_metric": label == "Metric" and all(
                    c.end - c.start == 1 and ctx.cls[c.start] in ("LOW", "CAP", "STOP")
                    and not ctx.metric_context(c.start) for c in cs),
            }
            for c in cs:
                info["mentions"].append(len(entities))
                entities.append({
                    "start": c.start, "end": c.end, "label": label, "group": gid, "name": name,
                    "text": ctx.span_text(c.start, c.end), "extractor": _extractor(c), "conf": round(c.conf, 3),
                    "rule": c.rule,
                })
            group_info.append(info)
        order = sorted(range(len(entities)), key=lambda k: entities[k]["start"])
        remap = {old: new for new, old in enumerate(order)}
        entities = [entities[k] for k in order]
        for info in group_info:
            info["mentions"] = sorted(remap[m] for m in info["mentions"])
        doc._.kg_entities = entities
        doc._.kg_groups = group_info
        spans = []
        for ent in entities:
            span = Span(doc, ent["start"], ent["end"], label=ent["label"], kb_id=ent["name"])
            spans.append(span)
        doc.spans["kg_entities"] = spans
        try:
            doc.ents = filter_spans(spans)
        except ValueError:
            pass
        doc._.kg_cues = {cue: [list(x) for x in v] for cue, v in ctx.cues.items()}

    @staticmethod
    def _words(text: str) -> list[str]:
        return [w for w in text.replace("-", " ").lower().split() if w]

    def _merge_title_acronym(self, ctx, accepted: list[Cand], index: dict, ids: dict, union) -> None:
        """A title prefix "Intra-Document Cascading: ..." and an acronym defined in
        the abstract under a slightly different long form ("Intra-Document
        Cascaded Ranking Model (IDCM)") name one method: merged when the
        acronym's letters start with the prefix's initials, the long form starts
        with the prefix's words (two or more identical, the rest sharing a stem)."""
        titles = [c for c in accepted if c.rule in ("rule:title", "rule:title_name") and c.label == "Method"]
        if not titles:
            return
        for t in titles:
            tw = self._words(ctx.span_text(t.start, t.end))
            if len(tw) < 2 or not all(w[:1].isalpha() for w in tw):
                continue
            initials = "".join(w[0] for w in tw)
            for c in accepted:
                if not c.pair or c.pair[0] == "same" or c is t:
                    continue
                ss, se, ls, le = c.pair
                short = "".join(ch for ch in ctx.span_text(ss, se) if ch.isalpha()).lower()
                lw = self._words(ctx.span_text(ls, le))
                if len(lw) < len(tw) or not short.startswith(initials) or len(short) < len(initials):
                    continue
                same = 0
                while same < len(tw) and tw[same] == lw[same]:
                    same += 1
                if same < 2 or not all(a[:4] == b[:4] and len(a) >= 4 for a, b in zip(tw[same:], lw[same:len(tw)])):
                    continue
                other = index.get((ss, se)) or index.get((ls, le))
                if other is not None and other.label == "Method":
                    union(ids[id(t)], ids[id(other)])
                    return

    def _surface_name(self, ctx, c: Cand) -> str:
        text = ctx.span_text(c.start, c.end)
        if c.label == "Metric":
            return self.metrics.canonical(text) or text
        return text

    @staticmethod
    def _group_label(cs: list[Cand]) -> str:
        """One label per entity: introduction > gazetteer > a telling acronym long
        form ("... Translation (SLT)" is a Task) > context rule > rest."""
        tiers = (
            lambda c: c.intro,
            lambda c: c.source == "intro",
            lambda c: c.gaz_label is not None,
            lambda c: c.source == "acronym" and c.strong,
            lambda c: c.source == "context" and not c.weak,
            lambda c: c.source == "acronym",
            lambda c: c.source == "context",
            lambda c: True,
        )
        for pred in tiers:
            labels = [(c.gaz_label if (c.gaz_label and pred is tiers[2]) else c.label) for c in cs if pred(c) and c.label]
            if labels:
                return max(sorted(set(labels)), key=labels.count)
        return cs[0].label

    def _group_name(self, ctx, cs: list[Cand], label: str) -> tuple[str, list[str]]:
        surfaces = []
        for c in cs:
            text = display_name(tidy_latex(ctx.span_text(c.start, c.end)))
            if text not in surfaces:
                surfaces.append(text)
        gaz = [c.gaz_id for c in cs if c.gaz_id]
        if gaz:
            name = max(set(gaz), key=gaz.count)
        else:
            pairs = [c for c in cs if c.pair and c.pair[0] != "same"]
            name = None
            if pairs:
                ss, se, ls, le = pairs[0].pair
                short, long = ctx.span_text(ss, se), ctx.span_text(ls, le)
                name = display_name(tidy_latex(long if label in ("Task", "Metric") else short))
            if name is None:
                # a superscript flattened to " 2 " is the worse spelling of "E^2-LLM"
                ranked = sorted(cs, key=lambda c: (bool(_SPLIT_DIGIT.search(ctx.span_text(c.start, c.end))),
                                                   -c.prio, c.start))
                name = display_name(tidy_latex(ctx.span_text(ranked[0].start, ranked[0].end)))
                if label == "Metric":
                    name = self.metrics.canonical(name) or name
        aliases = [s for s in surfaces if s != name]
        return name, aliases


_LATEX_SUP = re.compile(r"\$\s*([\^_])\s*\{?\s*([\w+\-*]+)\s*\}?\s*\$")
_SPLIT_DIGIT = re.compile(r"\w \d+ ")
_LATEX_BRACE = re.compile(r"([\^_])\{([\w+\-*]+)\}")
_LATEX_FONT = re.compile(r"\\(?:emph|text(?:it|bf|rm|tt|sc|sf|normal)?|math(?:rm|bf|it|cal|sf|tt|bb)|underline)\s*")
_LATEX_GREEK = re.compile(r"\\((?:var)?(?:alpha|beta|gamma|delta|epsilon|zeta|eta|theta|iota|kappa|lambda|mu|nu|xi|pi|"
                          r"rho|sigma|tau|upsilon|phi|chi|psi|omega)|Gamma|Delta|Theta|Lambda|Xi|Pi|Sigma|Phi|Psi|Omega)"
                          r"(?![A-Za-z])")


def tidy_latex(text: str) -> str:
    """LaTeX in a name as plain text: super/subscripts ("E$^{2}$GAN" -> "E^2GAN",
    "X^{+}" -> "X^+"), font commands dropped ("\\emph{FouST" -> "FouST"), Greek
    letters spelt out ("\\beta$-VAE" -> "beta-VAE"). Other commands stay, for the
    junk filter to see."""
    if "$" not in text and "{" not in text and "\\" not in text:
        return text
    text = _LATEX_SUP.sub(r"\1\2", text)
    text = _LATEX_BRACE.sub(r"\1\2", text)
    text = _LATEX_GREEK.sub(r"\1", _LATEX_FONT.sub("", text))
    return text.replace("$", "").replace("{", "").replace("}", "").strip()


def _extractor(c: Cand) -> str:
    if c.source == "gazetteer":
        return "gazetteer"
    if c.source == "ner":
        return "ner"
    return c.rule if c.rule.startswith("rule:") else f"rule:{c.rule}"


def _metric_shape_name(text: str) -> str:
    low = text.lower()
    if low.startswith("top"):
        parts = text.split()
        k = parts[0]
        head = parts[-1].lower()
        head = {"acc": "Accuracy", "accuracy": "Accuracy", "error": "Error", "recall": "Recall",
                "precision": "Precision"}.get(head, parts[-1].title())
        return f"{k[:1].upper()}{k[1:]} {head}"
    return display_name(text)


class _Ctx:
    """Per-doc token views the rules share (computed once per doc)."""

    def __init__(self, doc: Doc, owner: MentionResolver):
        self.doc = doc
        self.owner = owner
        views = doc_views(doc)
        self.texts = views.texts
        self.lowers = views.lowers
        self.cls = views.tags
        self.title_end = doc._.kg_title_end or 0
        self.title_shouted = doc._.kg_title_shouted
        n = len(doc)
        self.sent_start = views.sent_start
        self.sent_end = views.sent_end
        self.sent_starts = [s for s, _ in views.bounds]
        self.is_sent_start = [False] * n
        for s in self.sent_starts:
            if s < n:
                self.is_sent_start[s] = True
        # first word of the sentence after an opening quote/bracket also counts
        for s in self.sent_starts:
            if s + 1 < n and self.texts[s] in ('"', "(", "“", "'"):
                self.is_sent_start[s + 1] = True
        self.cues: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self._long_at: dict[int, tuple[int, int, int, int]] = {}
        self._short_at: dict[int, tuple[int, int, int, int]] = {}
        for pair in doc._.kg_acronyms or []:
            (ss, se), (ls, le) = pair["short"], pair["long"]
            self._long_at[ls] = (ls, le, ss, se)
            self._short_at[ss] = (ss, se, ls, le)
        self._task_keys: set[str] | None = None
        self._acro = None

    def text(self, i: int) -> str:
        return self.texts[i] if 0 <= i < len(self.texts) else ""

    def lower(self, i: int) -> str:
        return self.lowers[i] if 0 <= i < len(self.lowers) else ""

    def span_text(self, s: int, e: int) -> str:
        return self.doc[s:e].text

    def pair_at_long(self, i: int):
        return self._long_at.get(i)

    def pair_at_short(self, i: int):
        pair = self._short_at.get(i)
        if pair is None:
            return None
        ss, se, ls, le = pair
        return (ss, se, ls, le)

    def titlecase(self, s: int, e: int) -> bool:
        words = [k for k in range(s, e) if self.cls[k] not in ("PUNCT", "NUM")]
        content = [k for k in words if self.cls[k] != "STOP" and self.lowers[k] not in ("based", "aware", "free", "like")]
        if not content:
            return False
        capital = sum(1 for k in content if self.texts[k][:1].isupper() or self.cls[k] == "NAME")
        return capital >= max(1, (len(content) * 2 + 2) // 3) and self.texts[s][:1].isupper()

    def cited_author(self, k: int) -> bool:
        """Does a citation's tail start at token ``k``: "et al.", or a year after
        a comma or in brackets ("Snell et al., 2017", "Andreas, 2016", "Eisner (2016)")?"""
        after, then = self.lower(k), self.text(k + 1)
        if after == "et" and self.lower(k + 1) in ("al", "al."):
            return True
        return after in (",", "(") and bool(_CITED_YEAR.fullmatch(then))

    def namey_token(self, k: int) -> bool:
        return self.cls[k] == "NAME"

    def first_person(self, i: int) -> bool:
        """Does the sentence of token ``i`` speak for the authors (we/our/this paper)?"""
        s, e = self.sent_start[i], self.sent_end[i]
        words = self.lowers[s:e]
        if any(w in ("we", "our", "ours", "us") for w in words):
            return True
        return any(self.lowers[k] == "this" and self.lowers[k + 1] in ("paper", "work", "study", "article")
                   for k in range(s, e - 1))

    def lowercase_led(self, k: int) -> bool:
        """"all-LLM", "multi-GPU": a lower-case word joined to an acronym is a modifier, not a name."""
        text = self.texts[k]
        if "-" not in text or self.cls[k] != "NAME":
            return False
        first = text.split("-")[0]
        if classify_text(first) == "NUMUNIT":
            return True  # "3B-parameter", "7B-scale"
        return first.isalpha() and first.islower()

    def metric_context(self, i: int) -> bool:
        """"in terms of X", "X metric(s)", "X score(s)" around a metric word."""
        return (self.lower(i - 1) == "of" and self.lower(i - 2) == "terms") or \
            self.lower(i + 1) in ("metric", "metrics", "score", "scores") or self.value_before(i)

    def value_before(self, i: int) -> bool:
        """A number (or metric value) within the 6 tokens before ``i`` in the sentence."""
        lo = max(self.sent_start[i], i - 6)
        return any(self.cls[k] in ("NUM", "PCTTOK", "MULT", "ARROW") for k in range(lo, i))

    def _acronym_tables(self):
        if self._acro is None:
            owner = self.owner
            generic, concept, defined = set(), set(), {}
            for pair in self.doc._.kg_acronyms or []:
                (ss, se), (ls, le) = pair["short"], pair["long"]
                short_key = entity_key(self.span_text(ss, se))
                if all(owner.generic_word(self.lowers[k], extra=owner.trim_words) for k in range(ls, le)):
                    generic.add(short_key)
                label, weak = owner._acronym_label(self, ss, se, ls, le)
                if label is None:
                    concept.add(short_key)
                defined.setdefault(short_key, min(ss, ls))
            self._acro = (generic, concept, defined)
        return self._acro

    def generic_short(self, s: int, e: int) -> bool:
        """An acronym whose long form is all generic words ("VL", "LLM", "MTL")."""
        return entity_key(self.span_text(s, e)) in self._acronym_tables()[0]

    def concept_acronym(self, s: int, e: int) -> bool:
        """An acronym defined with a long form that names neither a method, dataset,
        task nor metric ("Point Spread Function (PSF)")."""
        generic, concept, _ = self._acronym_tables()
        key = entity_key(self.span_text(s, e))
        return key in concept or key in generic

    def defined_before(self, s: int, e: int, sent_start: int) -> bool:
        """Was this acronym defined in an earlier sentence that introduced nothing?"""
        _, _, defined = self._acronym_tables()
        pos = defined.get(entity_key(self.span_text(s, e)))
        if pos is None or pos >= sent_start:
            return False
        return not any(self.sent_start[a] == self.sent_start[pos] for cue in ("INTRO", "NAMING")
                       for a, _ in self.cues.get(cue, []))

    def gazetteer_known(self, s: int, e: int) -> bool:
        return any(span.start == s and span.end == e for span in self.doc.spans.get(GAZ_KEY, []))

    def namey(self, s: int, e: int, allow_sent_start: bool = False) -> bool:
        toks = range(s, e)
        if any(self.cls[k] == "NAME" for k in toks):
            return True
        caps = [k for k in toks if self.cls[k] == "CAP"]
        if not caps:
            return False
        if all(self.lowers[k] in self.owner.junk_words for k in toks):
            return False
        if len(caps) == 1 and e - s == 1 and self.is_sent_start[s] and not allow_sent_start:
            return False
        if s < self.title_end:
            return False  # titles are Title Case: only name-shaped words count there
        return True

    def name_start_before(self, i: int) -> int | None:
        """Start of the run of name-shaped words (NAME/CAP, then an optional
        version number) ending just before ``i``; None if there is none."""
        k = i
        floor = self.sent_start[i - 1] if i > 0 else 0
        if k > floor and self.cls[k - 1] == "NUM" and len(self.texts[k - 1]) <= 6:
            k -= 1
        s = k
        while s > floor and k - s < 5:
            if self.cls[s - 1] in ("NAME", "CAP"):
                s -= 1
            elif s < k and self.of_joins(s - 1) and s - 2 >= floor:
                s -= 2  # "World of Bits": "of" between capitalised words stays inside the name
            else:
                break
        return s if s < k else None

    def has_break(self, s: int, e: int) -> bool:
        """Does the span hold punctuation no name holds (";", "!", "?", brackets, a backslash)?"""
        return any(self.texts[k] in (";", "!", "?", "[", "]", "{", "}", "\\") for k in range(s, e))

    def cut_across_brackets(self, s: int, e: int) -> bool:
        """Does the span open a bracket or quote it does not close (or close one it did not open)?"""
        text = self.span_text(s, e)
        return text.count("(") != text.count(")") or text.count('"') % 2 == 1

    def of_joins(self, k: int) -> bool:
        """Is token ``k`` an "of" between two capitalised words of one name
        ("World of Bits", "Wizard of Wikipedia", "Mixture of Experts")? Not in a
        title, where every word is capitalised ("Training Dynamics of Deep ReLU")."""
        return (self.lowers[k] == "of" and self.title_end <= k - 1 and k < len(self.doc) - 1
                and self.cls[k - 1] in ("NAME", "CAP") and not self.is_sent_start[k - 1]
                and self.cls[k + 1] in ("NAME", "CAP"))

    def titled_type_noun(self, s: int, start: int, end: int) -> bool:
        """Is the type noun at ``start:end`` capitalised mid-sentence after a run
        of plain capitalised words ("Matching Networks", "Meta Module")? Then it
        belongs to the name: "Matching" alone names nothing."""
        if any(self.cls[k] != "CAP" for k in range(s, start)):
            return False
        return all(self.texts[k][:1].isupper() and self.texts[k][1:].islower() and not self.is_sent_start[k]
                   for k in range(start, end))

    def trim(self, s: int, e: int) -> tuple[int, int]:
        trim_words = self.owner.trim_words
        while s < e and (self.lowers[s] in trim_words and self.cls[s] != "NAME" or self.cls[s] == "PUNCT"):
            s += 1
        while e > s and (self.texts[e - 1] in _POSSESSIVE or self.cls[e - 1] == "PUNCT" or self.lowers[e - 1].startswith("-")):
            e -= 1
        return s, e

    def extend_name(self, i: int, limit: int) -> int:
        """End of the name starting at ``i``: NAME/CAP words, version numbers."""
        e = i + 1
        while e < limit:
            cls = self.cls[e]
            if cls in ("NAME", "CAP") and not self.is_sent_start[e]:
                if self.lowers[e] in self.owner.sets["dataset_nouns_title"] or self.texts[e] in ("Dataset", "Benchmark"):
                    e += 1
                    break
                e += 1
            elif cls in ("NUM",) and len(self.texts[e]) <= 6 and self.texts[e][:1].isdigit():
                e += 1
            elif self.texts[e] in ("-", "++", "+") and not self.doc[e - 1].whitespace_ and e + 1 < limit and \
                    self.cls[e + 1] in ("NAME", "CAP", "NUM"):
                e += 1
            else:
                break
        return e

    def find_close_quote(self, i: int, limit: int) -> int | None:
        close = _QUOTES_OPEN[self.texts[i]]
        for k in range(i + 1, min(limit, i + 12)):
            if self.texts[k] == close or (close in ('"', "''", "”") and self.texts[k] in ('"', "''", "”")):
                return k
        return None

    def known_task(self, s: int, e: int) -> bool:
        """Is this name an acronym/long form defined as a Task (e.g. "CAPE")?"""
        owner = self.owner
        key = entity_key(self.span_text(s, e))
        if self._task_keys is None:
            keys = set()
            for pair in self.doc._.kg_acronyms or []:
                (ss, se), (ls, le) = pair["short"], pair["long"]
                label, weak = owner._acronym_label(self, ss, se, ls, le)
                if label == "Task" and not weak:
                    keys.add(entity_key(self.span_text(ss, se)))
                    keys.add(entity_key(self.span_text(ls, le)))
            for span in self.doc.spans.get(GAZ_KEY, []):
                if span.label_ == "Task":
                    keys.add(entity_key(span.text))
            self._task_keys = keys
        return key in self._task_keys

    def sentence_has(self, i: int, cues: tuple[str, ...]) -> bool:
        s, e = self.sent_start[i], self.sent_end[i]
        return any(s <= a < e for cue in cues for a, _ in self.cues.get(cue, []))

    def list_left(self, s: int) -> list[tuple[int, int]]:
        """Coordinated names before the name starting at ``s`` ("A, B and C datasets")."""
        items = []
        k = s
        sent_start = self.sent_start[s] if s < len(self.sent_start) else 0
        while k > sent_start:
            j = k - 1
            if self.lowers[j] in ("and", "or", "&"):
                j -= 1
                if j >= sent_start and self.texts[j] == ",":
                    j -= 1
            elif self.texts[j] == ",":
                j -= 1
            else:
                break
            if j < sent_start:
                break
            if self.texts[j] == ")":  # skip a parenthesis "A (x), B"
                m = j
                while m > sent_start and self.texts[m] != "(" and j - m < 8:
                    m -= 1
                if self.texts[m] != "(":
                    break
                j = m - 1
            end = j + 1
            start = end
            while start > sent_start and self.cls[start - 1] in ("NAME", "CAP", "NUM", "NUMUNIT") and end - start < 5:
                start -= 1
            while start < end and self.cls[start] in ("NUM", "NUMUNIT"):
                start += 1
            if start >= end or not self.namey(start, end):
                break
            if self.lowers[start - 1] == "the" if start > 0 else False:
                pass
            items.append((start, end))
            k = start
            if k > sent_start and self.lowers[k - 1] == "the":
                k -= 1
        return items

    def list_right(self, i: int, task: bool = False, metric: bool = False,
                   names_only: bool = False) -> list[tuple[int, int]]:
        """Coordinated names after a list anchor ("such as A, B, and C")."""
        items = []
        n = len(self.doc)
        limit = self.sent_end[i - 1] if i > 0 else n
        k = i
        while k < limit:
            while k < limit and self.lowers[k] in ("the", "a", "an", "both"):
                k += 1
            start = k
            if task or metric:
                while k < limit and self.cls[k] in ("LOW", "CAP", "NAME") and self.lowers[k] not in ("and", "or", "etc", "etc.") \
                        and k - start < 5:
                    k += 1
            else:
                while k < limit and k - start < 6 and (
                        self.cls[k] in ("NAME", "CAP") or (self.cls[k] in ("NUM",) and k > start)
                        or (k > start and k + 1 < limit and self.of_joins(k))):
                    k += 1
            end = k
            if end <= start:
                break
            if task:
                if self.lowers[end - 1] not in self.owner.task_heads or end - start < 2:
                    break
            elif metric:
                if not (self.owner.metrics.canonical(self.span_text(start, end)) or any(self.cls[j] == "NAME" for j in range(start, end))):
                    break
            elif not self.namey(start, end, allow_sent_start=True) or self.is_sent_start[start] and start != i:
                break
            elif names_only and not any(self.cls[j] == "NAME" for j in range(start, end)):
                break
            items.append((start, end))
            if k < limit and self.texts[k] == "(":
                m = k
                while m < limit and self.texts[m] != ")" and m - k < 10:
                    m += 1
                k = m + 1
            if k < limit and self.texts[k] == ",":
                k += 1
                if k < limit and self.lowers[k] in ("and", "or"):
                    k += 1
            elif k < limit and self.lowers[k] in ("and", "or", "&", "as", "vs", "vs."):
                k += 1
            else:
                break
        return items
