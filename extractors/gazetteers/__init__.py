"""Gazetteers of canonical ML names: loading and lookup helpers.

The data files live in ``extractors/data`` and are written by
``python -m extractors.gazetteers.build`` (see build.py for the formats):

* ``gazetteer.jsonl`` - SpanRuler patterns ``{"label", "pattern", "id"}``.
  String patterns are matched on exact text (keep the ruler's
  ``phrase_matcher_attr`` at its default, ORTH); token patterns use ``LOWER``
  (case-insensitive) or a ``REGEX`` on one token.
* ``gazetteer_ambiguous.jsonl`` - exact-case patterns for names that are also
  ordinary words or short acronyms (``"ambiguous": true, "reason"``); only for
  rules that check context ("on the X dataset").
* ``gazetteer_names.jsonl`` - one canonical name per line with its aliases
  (``aliases``: matched by the gazetteer; ``ambiguous_aliases``: lookup only).
* ``metrics.json`` - direction ("higher"/"lower" is better) and aliases per
  metric, split the same way.

Nothing here imports spaCy until a ruler is asked for.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from kg.schema import entity_key

from .curated import guess_direction
from .variants import clean_name, split_parenthetical, strip_metric_qualifiers

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
GAZETTEER_PATH = DATA_DIR / "gazetteer.jsonl"
AMBIGUOUS_PATH = DATA_DIR / "gazetteer_ambiguous.jsonl"
NAMES_PATH = DATA_DIR / "gazetteer_names.jsonl"
METRICS_PATH = DATA_DIR / "metrics.json"

__all__ = [
    "DATA_DIR", "GAZETTEER_PATH", "AMBIGUOUS_PATH", "NAMES_PATH", "METRICS_PATH",
    "load_patterns", "load_ambiguous_patterns", "load_names", "load_metrics",
    "canonical_name", "canonical_metric", "metric_direction",
    "add_gazetteer_ruler", "add_ambiguous_ruler",
]


def _read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_patterns(path: str | Path | None = None, labels: set[str] | None = None) -> list[dict]:
    """The SpanRuler patterns (``{"label", "pattern", "id"}``), optionally
    only for some labels."""
    rows = _read_jsonl(Path(path) if path else GAZETTEER_PATH)
    return [r for r in rows if labels is None or r["label"] in labels]


def load_ambiguous_patterns(path: str | Path | None = None, labels: set[str] | None = None) -> list[dict]:
    """Patterns for ambiguous names (exact-case strings, with ``reason``)."""
    rows = _read_jsonl(Path(path) if path else AMBIGUOUS_PATH)
    return [r for r in rows if labels is None or r["label"] in labels]


@lru_cache(maxsize=4)
def load_names(path: str | Path | None = None) -> tuple[dict, ...]:
    """Canonical names: ``{"label", "id", "key", "aliases",
    "ambiguous_aliases", "ambiguous", "source", "papers"}`` per line."""
    return tuple(_read_jsonl(Path(path) if path else NAMES_PATH))


@lru_cache(maxsize=4)
def _name_index(path: str | Path | None = None) -> dict[tuple[str, str], str]:
    index: dict[tuple[str, str], str] = {}
    for row in load_names(path):
        for form in (row["id"], *row["aliases"], *row.get("ambiguous_aliases", [])):
            index.setdefault((row["label"], entity_key(form)), row["id"])
    return index


def canonical_name(label: str, text: str, path: str | Path | None = None) -> str | None:
    """The canonical id for a surface string of ``label`` (by entity key over
    ids and aliases), or None when the gazetteer does not know it."""
    return _name_index(path).get((label, entity_key(text)))


@lru_cache(maxsize=4)
def load_metrics(path: str | Path | None = None) -> dict[str, dict]:
    """``{canonical metric: {"direction": "higher"|"lower", "aliases": [...],
    "ambiguous_aliases": [...], "key": entity_key}}``; ``aliases`` are safe to
    match in text, ``ambiguous_aliases`` only for lookups ("EM", "precision")."""
    with open(Path(path) if path else METRICS_PATH, encoding="utf-8") as fh:
        return json.load(fh)


@lru_cache(maxsize=4)
def _metric_index(path: str | Path | None = None) -> dict[str, str]:
    index: dict[str, str] = {}
    for name, info in load_metrics(path).items():
        index.setdefault(entity_key(name), name)
    for name, info in load_metrics(path).items():
        for alias in (*info["aliases"], *info.get("ambiguous_aliases", [])):
            index.setdefault(entity_key(alias), name)
    return index


def canonical_metric(name: str, path: str | Path | None = None) -> str | None:
    """The canonical metric for a name as written (``"PPL"`` -> ``"Perplexity"``,
    ``"Accuracy (%)"`` -> ``"Accuracy"``), or None."""
    index = _metric_index(path)
    cleaned = clean_name(name)
    found = index.get(entity_key(cleaned))
    if found:
        return found
    main, acronym, _ = split_parenthetical(cleaned)
    for form in (strip_metric_qualifiers(main), acronym):
        if form and (found := index.get(entity_key(form))):
            return found
    return None


def metric_direction(name: str, path: str | Path | None = None) -> str:
    """``"higher"`` or ``"lower"`` (is better) for a metric name; unknown
    names get a rule-based guess (errors, distances, perplexity, time, size
    are lower-is-better)."""
    canonical = canonical_metric(name, path)
    if canonical:
        return load_metrics(path)[canonical]["direction"]
    return guess_direction(name)


def add_gazetteer_ruler(
    nlp,
    name: str = "gazetteer",
    *,
    spans_key: str | None = "gazetteer",
    annotate_ents: bool = False,
    overwrite: bool = False,
    labels: set[str] | None = None,
    path: str | Path | None = None,
    **pipe_kwargs,
):
    """Add a SpanRuler with the gazetteer patterns to ``nlp`` and return it.

    Matches go to ``doc.spans[spans_key]`` and, with ``annotate_ents``, to
    ``doc.ents`` (longest match wins); ``span.id_`` is the canonical name.
    ``pipe_kwargs`` (``before=``, ``after=``, ...) go to ``nlp.add_pipe``.
    """
    ruler = nlp.add_pipe(
        "span_ruler",
        name=name,
        config={
            "spans_key": spans_key,
            "annotate_ents": annotate_ents,
            "overwrite": overwrite,
            "phrase_matcher_attr": None,
            "validate": False,
        },
        **pipe_kwargs,
    )
    ruler.add_patterns(load_patterns(path, labels))
    return ruler


def add_ambiguous_ruler(
    nlp,
    name: str = "gazetteer_ambiguous",
    *,
    spans_key: str = "gazetteer_ambiguous",
    labels: set[str] | None = None,
    path: str | Path | None = None,
    **pipe_kwargs,
):
    """Add a SpanRuler that only collects ambiguous-name candidates into
    ``doc.spans[spans_key]`` (never ``doc.ents``), for context rules."""
    ruler = nlp.add_pipe(
        "span_ruler",
        name=name,
        config={"spans_key": spans_key, "annotate_ents": False, "phrase_matcher_attr": None, "validate": False},
        **pipe_kwargs,
    )
    patterns = [{k: r[k] for k in ("label", "pattern", "id")} for r in load_ambiguous_patterns(path, labels)]
    ruler.add_patterns(patterns)
    return ruler
