"""Gazetteer hits as input features for the statistical NER.

A CNN NER trained from scratch on ~1,500 annotated sentences has never seen
most dataset, task and metric names it meets later; the gazetteer has (2,000+
Papers-with-Code datasets, tasks, metrics and the curated model families).
This component marks every gazetteer match in ``Token.tag_`` ("B-Dataset",
"I-Dataset", "B-Task", ...; other tokens keep an empty tag), and the NER's
``tok2vec`` embeds ``TAG`` next to ``NORM``/``PREFIX``/``SUFFIX``/``SHAPE``
(``extractors/training/ner-gazetteer-features.cfg``). The model learns from
the training data how far to trust a hit, so a gazetteer entry helps without
forcing a span.

Status: an experiment, not the shipped model (``docs/evaluation.md`` has the
dev-split figures). In a model trained with that config it sits first in the
model's own pipeline (``kg_gazetteer_features`` -> ``tok2vec`` -> ``ner``) and
is listed in ``[training] annotating_components`` so the features are also
set while training; the NER bridge and ``extractors.evaluate`` import this
module so such a model loads anywhere. The patterns are rebuilt from
the package's gazetteer data (:func:`.gazetteer.gazetteer_patterns`) with the
model's tokenizer, so nothing is copied into the model directory; a model and
the data it was trained with travel together in ``EXTRACTOR_VERSION``.
Ambiguous names (``gazetteer_ambiguous.jsonl``) are not used: without context
they are mostly ordinary words.
"""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.util import filter_spans

from extractors.components.gazetteer import gazetteer_patterns

FEATURE_LABELS = ("Method", "Dataset", "Task", "Metric")


@Language.factory("kg_gazetteer_features", default_config={"data_dir": None})
def make_gazetteer_features(nlp: Language, name: str, data_dir: str | None):
    return GazetteerFeatures(nlp, data_dir)


class GazetteerFeatures:
    def __init__(self, nlp: Language, data_dir: str | None = None):
        lower, exact, _ambiguous = gazetteer_patterns(data_dir)
        self.matchers = {}
        for attr, patterns in (("LOWER", lower), ("ORTH", exact)):
            matcher = PhraseMatcher(nlp.vocab, attr=attr)
            by_label: dict[str, list[str]] = {}
            for pattern in patterns:
                if pattern["label"] in FEATURE_LABELS:
                    by_label.setdefault(pattern["label"], []).append(pattern["pattern"])
            for label, texts in by_label.items():
                matcher.add(label, list(nlp.tokenizer.pipe(texts)))
            self.matchers[attr] = matcher

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for matcher in self.matchers.values():
            spans += matcher(doc, as_spans=True)
        for span in filter_spans(spans):
            span[0].tag_ = "B-" + span.label_
            for token in span[1:]:
                token.tag_ = "I-" + span.label_
        return doc

    def pipe(self, docs, batch_size: int = 128):
        for doc in docs:
            yield self(doc)

    # nothing to save: the patterns are rebuilt from the package's data files
    def to_disk(self, path, *, exclude=()):
        Path(path).mkdir(parents=True, exist_ok=True)

    def from_disk(self, path, *, exclude=()):
        return self
