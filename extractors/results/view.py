"""Token-level access for the result stages: words, sentences, the entities each token belongs to."""

from __future__ import annotations

from spacy.tokens import Doc

from extractors.components.lexicon import doc_views

#: words that end a clause for attachment purposes
CLAUSE_BREAKS = frozenset({";", "while", "whereas", "but"})


class ResultView:
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
        self.ent_at: list[dict | None] = [None] * n
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

    def group(self, ent: dict | None) -> dict | None:
        return None if ent is None else self.groups[ent["group"]]

    def group_name(self, ent: dict | None) -> str | None:
        return None if ent is None else self.groups[ent["group"]]["name"]

    def key(self, ent: dict) -> str:
        return self.groups[ent["group"]]["key"]

    def ents_in(self, s0: int, s1: int, label: str) -> list[dict]:
        return [e for e in self.ents if s0 <= e["start"] < s1 and e["label"] == label]

    def result_sentence(self, i: int) -> bool:
        s0, s1 = self.bounds[self.sent_of[i]]
        return any(s0 <= c < s1 for c in self.result_cues)

    def connected(self, end: int, start: int, loose: bool = False) -> bool:
        """Are two values joined into one coordination ("A and B", "A, B", "A on X and B on Y")?"""
        gap = self.lowers[end:start]
        allowed = {",", "and", "or", "to", "vs", "vs.", "versus", "respectively", "(", ")", "/", "-", "–"}
        if loose:
            allowed |= {"on", "in", "the", "for", "under", "of", "at", "with", "a", "an", "improvement", "improvements",
                        "gain", "gains", "increase", "decrease", "drop", "reduction", "boost"}
            # a short dataset/setting name between coordinated values: "50.6% on COCO and 40.0% on LVIS"
            gap = [w for k, w in zip(range(end, start), gap) if self.ent_at[k] is None and not w[:1].isdigit()
                   and not w.endswith("shot")]
            return len(self.lowers[end:start]) <= 12 and all(
                w in allowed or w in ("dataset", "datasets", "benchmark", "benchmarks", "split", "set", "test")
                for w in gap)
        return len(gap) <= 3 and all(w in allowed for w in gap)

    def clause_start(self, i: int, s0: int) -> int:
        """The first token of the clause holding token ``i`` (after a comma, ";", "while", ...)."""
        c0 = i
        while c0 > s0 and self.lower(c0 - 1) not in (",", ";", "while", "whereas", "but", ":"):
            c0 -= 1
        return c0

    def char_span(self, start: int, end: int) -> tuple[int, int]:
        return self.idx[start], self.idx[end - 1] + len(self.texts[end - 1])
