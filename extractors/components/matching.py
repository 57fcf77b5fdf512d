"""One pass of pattern matching for all the rule components (``kg_matcher``).

The hand-written pattern files are compiled into a single ``Matcher`` (token
patterns) and two ``PhraseMatcher`` s (phrases on ``LOWER`` / ``ORTH``), run
once per Doc; matches are stored as span groups the later components read:

==========================  ===============================================
``extractors/patterns/``    span group (label = pattern id)
==========================  ===============================================
``cue_patterns.jsonl``      ``doc.spans["kg_cues"]``: INTRO, NAMING, USE ...
``entity_patterns.jsonl``   ``doc.spans["kg_anchors"]``: dataset_noun ...
``value_patterns.jsonl``    ``doc.spans["kg_values"]``: PCT, NUM, MULT ...
``metric_shapes.jsonl``     ``doc.spans["shapes"]``: Metric
==========================  ===============================================

Phrase records (most cues and anchors) go to the PhraseMatchers, which cost
almost nothing per token. Token patterns (values such as ``50.6 %``, ``23.5 ->
26.9``, ``between 2 and 4``; metric shapes such as ``top-5 retrieval accuracy``)
are run only on short windows that start at a token able to begin one of them
(known from each pattern's first token: a token class like ``NUM`` or a word
like ``between``) - so the Matcher touches the few numeric stretches of an
abstract instead of every token.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span

from extractors.components.lexicon import anchored, doc_views, load_patterns, phrase_list

GROUPS = {
    "cue_patterns.jsonl": "kg_cues",
    "entity_patterns.jsonl": "kg_anchors",
    "value_patterns.jsonl": "kg_values",
    "metric_shapes.jsonl": "shapes",
}


@Language.factory("kg_matcher")
def make_matcher(nlp: Language, name: str):
    return RuleMatcher(nlp)


class RuleMatcher:
    def __init__(self, nlp: Language):
        self.matcher = Matcher(nlp.vocab)
        self.phrases = {"LOWER": PhraseMatcher(nlp.vocab, attr="LOWER"),
                        "ORTH": PhraseMatcher(nlp.vocab, attr="ORTH")}
        self.route: dict[str, tuple[str, str]] = {}  # match key -> (span group, label)
        token_patterns: dict[str, list] = {}
        phrase_items: dict[tuple[str, str], list[str]] = {}
        for filename, group in GROUPS.items():
            for record in load_patterns(filename):
                ident = record.get("id", "")
                label = record.get("label", "") if group == "shapes" else ident
                key = f"{group}|{label}|{ident}"
                self.route[key] = (group, label)
                pattern = record.get("pattern")
                if pattern is not None:
                    if group == "shapes" and len(pattern) == 1 and isinstance(pattern[0].get("TEXT"), dict):
                        pattern = [{"TAG": "MSHAPE"}]  # the regexes live in the token classifier
                    token_patterns.setdefault(key, []).extend(anchored(pattern))
                else:
                    case = "ORTH" if record.get("case") == "ORTH" else "LOWER"
                    phrase_items.setdefault((case, key), []).extend(phrase_list(record))
        self.anchor_tags: set[str] = set()
        self.anchor_words: set[str] = set()
        self.max_len = 1
        for key, patterns in token_patterns.items():
            unique = []
            for p in patterns:
                if p not in unique:
                    unique.append(p)
                    self._note_anchor(p)
            self.matcher.add(key, unique)
        for (case, key), items in phrase_items.items():
            self.phrases[case].add(key, list(nlp.tokenizer.pipe(dict.fromkeys(items))))

    def _note_anchor(self, pattern: list[dict]) -> None:
        first = pattern[0]
        if "OP" in first:
            raise ValueError(f"token patterns must not start with an optional token: {pattern}")
        if "TAG" in first and isinstance(first["TAG"], str):
            self.anchor_tags.add(first["TAG"])
        elif any(k in first for k in ("LOWER", "ORTH", "TEXT")):
            value = first.get("LOWER", first.get("ORTH", first.get("TEXT")))
            if not isinstance(value, str):
                raise ValueError(f"token patterns must start with a plain word or a TAG: {pattern}")
            self.anchor_words.add(value.lower())
        else:
            raise ValueError(f"token patterns must start with a plain word or a TAG: {pattern}")
        length = sum(1 if t.get("OP") in (None, "?", "!") else 8 for t in pattern)
        self.max_len = max(self.max_len, length)

    def _token_matches(self, doc: Doc) -> list[tuple[int, int, int]]:
        if not len(self.matcher):
            return []
        views = doc_views(doc)
        tags, lowers, n = views.tags, views.lowers, len(doc)
        anchors = [k for k in range(n) if tags[k] in self.anchor_tags or lowers[k] in self.anchor_words]
        out = []
        k = 0
        while k < len(anchors):
            start = anchors[k]
            end = min(n, start + self.max_len)
            k += 1
            while k < len(anchors) and anchors[k] < end:
                end = min(n, anchors[k] + self.max_len)
                k += 1
            for match_id, s, e in self.matcher(doc[start:end]):
                out.append((match_id, start + s, start + e))
        return out

    def __call__(self, doc: Doc) -> Doc:
        strings = doc.vocab.strings
        found: dict[str, list[Span]] = {group: [] for group in GROUPS.values()}
        seen = set()
        matches = self._token_matches(doc)
        for pm in self.phrases.values():
            if len(pm):
                matches.extend(pm(doc))
        for match_id, start, end in matches:
            group, label = self.route[strings[match_id]]
            sig = (group, label, start, end)
            if sig in seen:
                continue
            seen.add(sig)
            found[group].append(Span(doc, start, end, label=label))
        for group, spans in found.items():
            spans.sort(key=lambda s: (s.start, s.end))
            doc.spans[group] = spans
        return doc

    def to_disk(self, path, *, exclude=()):
        pass

    def from_disk(self, path, *, exclude=()):
        return self
