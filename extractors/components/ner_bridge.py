"""The statistical NER (``extractors/models/ner``) run as a bridge component.

The model was trained on ``spacy.blank("en")`` tokens, while this pipeline
keeps hyphenated names whole. Rather than feed the model tokens it never saw,
the bridge runs the model's own pipeline (its tokenizer, tok2vec and ner) on
the same text, in batches (``pipe``), and maps each predicted entity onto this
Doc by character offsets (``doc.char_span(..., alignment_mode="expand")``).
Predictions land in ``doc.spans["ner"]``; :mod:`.mentions` decides what to keep.

The model reads every sentence: its spans feed the graph's entities and, where
the graph's gates turn them down, the record's mention-only entities
(:meth:`.mentions.MentionResolver._mention_tier`). ``select_sentences=True``
is a faster mode for graph building alone: only sentences with a name-shaped or
mid-sentence capitalised word or a task or metric head word are sent to the
model, since only those can yield a span the graph keeps (SciTLDR: about 40%
more words/s; SciREX dev mention F1 0.561 -> 0.503).

Serialisation: ``to_disk`` writes the wrapped model under ``<path>/model``;
``from_disk`` loads it back. With no model the component is a no-op.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc

import extractors.components.features  # noqa: F401  (the model's first component)
from extractors.components.lexicon import doc_views, lexicon_sets

LABELS = ("Method", "Dataset", "Task", "Metric")


@Language.factory("kg_ner", default_config={"model": None, "batch_size": 64, "select_sentences": False})
def make_ner_bridge(nlp: Language, name: str, model: str | None, batch_size: int, select_sentences: bool):
    return NERBridge(model, batch_size, select_sentences)


class NERBridge:
    def __init__(self, model: str | None = None, batch_size: int = 64, select_sentences: bool = False):
        self.model_path = model
        self.batch_size = batch_size
        self.select_sentences = select_sentences
        self.model: Language | None = None
        if model and Path(model).exists():
            self.model = _load(model)
        sets = lexicon_sets()
        self.heads = sets["task_heads"] | sets["metric_heads"] | sets["task_heads_strong"]

    def __call__(self, doc: Doc) -> Doc:
        if self.model is None:
            doc.spans["ner"] = []
            return doc
        text, segments = self._select(doc)
        self._annotate(doc, self.model(text), segments)
        return doc

    def _select(self, doc: Doc) -> tuple[str, list[tuple[int, int, int]]]:
        """(text for the model, [(start in that text, start in doc.text, length)])."""
        if not self.select_sentences:
            return doc.text, [(0, 0, len(doc.text))]
        views = doc_views(doc)
        tags, lowers, idx, texts = views.tags, views.lowers, views.idx, views.texts
        parts, segments, pos = [], [], 0
        for s, e in views.bounds:
            if not any(tags[k] == "NAME" or (tags[k] == "CAP" and k > s) or lowers[k] in self.heads
                       for k in range(s, e)):
                continue
            c0, c1 = idx[s], idx[e - 1] + len(texts[e - 1])
            piece = doc.text[c0:c1]
            segments.append((pos, c0, len(piece)))
            parts.append(piece)
            pos += len(piece) + 1
        return "\n".join(parts), segments

    def pipe(self, docs: Iterable[Doc], batch_size: int = 64) -> Iterator[Doc]:
        if self.model is None:
            for doc in docs:
                doc.spans["ner"] = []
                yield doc
            return
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= (batch_size or self.batch_size):
                yield from self._run(batch)
                batch = []
        if batch:
            yield from self._run(batch)

    def _run(self, batch: list[Doc]) -> Iterator[Doc]:
        selected = [self._select(d) for d in batch]
        preds = self.model.pipe([text for text, _ in selected], batch_size=len(batch))
        for doc, (_, segments), pred in zip(batch, selected, preds):
            self._annotate(doc, pred, segments)
            yield doc

    @staticmethod
    def _annotate(doc: Doc, pred: Doc, segments: list[tuple[int, int, int]]) -> None:
        spans = []
        for ent in pred.ents:
            if ent.label_ not in LABELS:
                continue
            seg = next((sg for sg in segments if sg[0] <= ent.start_char and ent.end_char <= sg[0] + sg[2]), None)
            if seg is None:
                continue  # crosses two selected sentences
            start, end = ent.start_char - seg[0] + seg[1], ent.end_char - seg[0] + seg[1]
            span = doc.char_span(start, end, label=ent.label_)
            if span is None:
                span = doc.char_span(start, end, label=ent.label_, alignment_mode="expand")
            if span is not None and len(span):
                spans.append(span)
        doc.spans["ner"] = spans

    def to_disk(self, path, *, exclude=()):
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        if self.model is not None:
            self.model.to_disk(path / "model")

    def from_disk(self, path, *, exclude=()):
        path = Path(path) / "model"
        if path.exists():
            self.model = _load(str(path))
        return self


def _load(path: str) -> Language:
    nlp = spacy.load(path)
    keep = {"tok2vec", "ner"}
    disable = [name for name in nlp.pipe_names if name not in keep and not name.endswith("ner")]
    for name in disable:
        nlp.disable_pipe(name)
    return nlp
