"""Gazetteer span rulers: known datasets, metrics, tasks and methods.

Reads the gazetteer build's data files (each optional; a missing file simply
contributes nothing):

* ``extractors/data/gazetteer.jsonl`` - SpanRuler patterns ``{"label", "pattern", "id"}``
* ``extractors/data/gazetteer_ambiguous.jsonl`` - same format; names that are
  English words or short acronyms. They go to their own span group
  (``doc.spans["gaz_amb"]``) and the mention rules only accept them in strong
  contexts ("on the X dataset").
* ``extractors/data/methods.jsonl`` - ``{"id", "aliases"}`` model families (label Method)
* ``extractors/data/metrics.json`` - canonical metric -> ``{"direction", "aliases"}``
* ``extractors/patterns/metrics_fallback.jsonl`` - hand-written metric list, used
  for metrics the gazetteer build does not define

(Metric *shapes* - ``nDCG@10``, ``top-20 accuracy``, ``BLEU-4`` - are matched by
:mod:`.matching` from ``extractors/patterns/metric_shapes.jsonl``.)

Phrase patterns are split by case: a single plain word or a short string is
matched case-sensitively (``ORTH``) so that a dataset called "Places" never
matches the verb "places"; longer names match case-insensitively (``LOWER``).
All matches land in ``doc.spans["gaz"]`` with ``span.id_`` = canonical name.

The rulers are spaCy's own ``span_ruler`` components, so they serialise with
``nlp.to_disk`` like any pipeline.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Span

from kg.schema import display_name, entity_key
from extractors.components.lexicon import DATA_DIR, PATTERNS_DIR, classify_text, read_jsonl

GAZ_KEY = "gaz"
GAZ_AMBIGUOUS_KEY = "gaz_amb"
SHAPES_KEY = "shapes"


class MetricTable:
    """Canonical metric names and directions, looked up by any alias."""

    def __init__(self, entries: dict[str, dict]):
        self.entries = entries
        self.by_key: dict[str, str] = {}
        for name, info in entries.items():
            for alias in [name, *info.get("aliases", [])]:
                self.by_key.setdefault(entity_key(alias), name)

    def canonical(self, text: str) -> str | None:
        return self.by_key.get(entity_key(text))

    def direction(self, name: str) -> str | None:
        info = self.entries.get(name)
        return info.get("direction") if info else None


@lru_cache(maxsize=4)
def metric_table(data_dir: str | None = None) -> MetricTable:
    data = Path(data_dir) if data_dir else DATA_DIR
    entries: dict[str, dict] = {}
    path = data / "metrics.json"
    if path.exists():
        with open(path, encoding="utf-8") as handle:
            raw = json.load(handle)
        if isinstance(raw, dict):
            for name, info in raw.items():
                if name.startswith("_"):
                    continue
                info = info if isinstance(info, dict) else {}
                entries[display_name(name)] = {"direction": info.get("direction"),
                                               "aliases": [a for a in info.get("aliases", []) if isinstance(a, str)]}
    known = {entity_key(a) for name, info in entries.items() for a in [name, *info["aliases"]]}
    for record in read_jsonl(PATTERNS_DIR / "metrics_fallback.jsonl"):
        aliases = [a for a in [record["id"], *record.get("aliases", [])] if entity_key(a) not in known]
        if entity_key(record["id"]) in known or not aliases:
            continue
        entries[record["id"]] = {"direction": record.get("direction"), "aliases": aliases}
    return MetricTable(entries)


def _phrase_attr(text: str) -> str:
    """ORTH for one plain word or a short string; LOWER otherwise."""
    if len(text) <= 3:
        return "ORTH"
    if " " not in text.strip() and classify_text(text) in ("CAP", "LOW", "STOP", "GENERIC"):
        return "ORTH"
    return "LOWER"


_JOINERS = frozenset({"-", "/", "'", "’", ".", "_", "+", "·"})
_SIZE_SUFFIX = re.compile(r"^(?P<base>.+?)[-_](?:\d+x)?\d+(?:\.\d+)?[BbMmKkTt]$")
_SIZE_TOKEN = re.compile(r"^\d+(?:\.\d+)?[BMKT]$|^\d+(?:\.\d+)?[bmk]$")
#: "ResNet-50", "VGG16", "DenseNet-121": a depth, for families marked ``numbered``
_DEPTH_SUFFIX = re.compile(r"^(?P<base>[A-Za-z][A-Za-z\- ]*?[A-Za-z])-?(?P<depth>\d{2,3}[a-z]?)$")


def token_pattern_to_phrase(pattern: list) -> tuple[str, str] | None:
    """A token pattern of plain strings as (phrase, attr); None if it has
    operators or regexes. Hyphen/slash/apostrophe tokens join without spaces,
    as in running text ("scannet" "-" "v1" -> "scannet-v1")."""
    parts: list[str] = []
    attrs = set()
    for token in pattern:
        if not isinstance(token, dict) or len(token) != 1:
            return None
        (attr, value), = token.items()
        if attr not in ("LOWER", "ORTH", "TEXT") or not isinstance(value, str):
            return None
        attrs.add("LOWER" if attr == "LOWER" else "ORTH")
        parts.append(value)
    if not parts:
        return None
    text = parts[0]
    for prev, part in zip(parts, parts[1:]):
        text += part if (part in _JOINERS or prev in _JOINERS) else " " + part
    return text, ("LOWER" if "LOWER" in attrs else "ORTH")


@lru_cache(maxsize=4)
def alias_index(data_dir: str | None = None) -> dict[str, frozenset[str]]:
    """Canonical-name key -> keys of all its surface forms (for telling whether a
    locally defined long form agrees with a gazetteer reading of an acronym)."""
    lower, exact, ambiguous = gazetteer_patterns(data_dir)
    index: dict[str, set[str]] = {}
    for p in (*lower, *exact, *ambiguous):
        if isinstance(p["pattern"], str):
            index.setdefault(entity_key(p["id"]), set()).add(entity_key(p["pattern"]))
    return {k: frozenset(v) for k, v in index.items()}


@lru_cache(maxsize=4)
def gazetteer_patterns(data_dir: str | Path | None = None) -> tuple[list[dict], list[dict], list[dict]]:
    """(case-insensitive phrase patterns, case-sensitive phrase patterns,
    ambiguous patterns) from the data files.

    Token patterns made of plain strings become phrase patterns (the pipeline's
    tokenizer keeps hyphenated names whole, so phrase matching is both faster
    and tokenizer-proof); token patterns with regexes (model-size variants such
    as ``Llama-2-7B``) are dropped - :class:`SizeVariants` covers them for any
    gazetteer name."""
    data = Path(data_dir) if data_dir else DATA_DIR
    lower: list[dict] = []
    exact: list[dict] = []
    seen: set[tuple[str, str, str]] = set()

    def add(label: str, pattern, ident: str, attr: str | None = None) -> None:
        if isinstance(pattern, list):
            converted = token_pattern_to_phrase(pattern)
            if converted is None:
                return
            pattern, attr = converted
        if not isinstance(pattern, str):
            return
        pattern = display_name(pattern)
        if not pattern or not ident:
            return
        attr = attr or _phrase_attr(pattern)
        sig = (label, pattern if attr == "ORTH" else pattern.lower(), attr)
        if sig in seen:
            return
        seen.add(sig)
        (lower if attr == "LOWER" else exact).append({"label": label, "pattern": pattern, "id": ident})

    for record in read_jsonl(data / "gazetteer.jsonl"):
        label, pattern = record.get("label"), record.get("pattern")
        if label in ("Method", "Dataset", "Task", "Metric") and pattern:
            ident = record.get("id") or (pattern if isinstance(pattern, str) else "")
            add(label, pattern, display_name(str(ident)))
    for record in read_jsonl(data / "methods.jsonl"):
        name = record.get("id")
        if not name:
            continue
        for alias in [name, *record.get("aliases", [])]:
            if isinstance(alias, str):
                add("Method", alias, display_name(name))
    table = metric_table(str(data_dir) if data_dir else None)
    for name, info in table.entries.items():
        for alias in [name, *info.get("aliases", [])]:
            add("Metric", alias, name)

    ambiguous: list[dict] = []
    for record in read_jsonl(data / "gazetteer_ambiguous.jsonl"):
        label, pattern = record.get("label"), record.get("pattern")
        if label in ("Method", "Dataset", "Task", "Metric") and pattern:
            if isinstance(pattern, list):
                converted = token_pattern_to_phrase(pattern)
                if converted is None:
                    continue
                pattern = converted[0]
            ident = display_name(str(record.get("id") or pattern))
            ambiguous.append({"label": label, "pattern": display_name(pattern), "id": ident})
    return lower, exact, ambiguous


@Language.factory("kg_size_variants", default_config={"spans_key": GAZ_KEY})
def make_size_variants(nlp: Language, name: str, spans_key: str):
    return SizeVariants(spans_key)


class SizeVariants:
    """``<gazetteer name>-<size>`` ("Llama-2-7B", "Mistral-7B", "T5-3B") and, for
    numbered families, ``<name>-<depth>`` ("ResNet-50", "VGG16") are mentions of a
    variant of the named model: the base is looked up, and the variant keeps its
    size or depth in its name ("Llama 2 7B", "ResNet-50") so that it joins its
    family through ``VARIANT_OF`` (:mod:`kg.families`) instead of being the family."""

    def __init__(self, spans_key: str = GAZ_KEY):
        self.spans_key = spans_key
        self.names: dict[str, tuple[str, str]] = {}
        self.numbered: set[str] = set()

    def add_names(self, patterns: list[dict], numbered: Iterable[str] = ()) -> None:
        for p in patterns:
            if p["label"] == "Method" and isinstance(p["pattern"], str):
                self.names.setdefault(p["pattern"].lower(), (p["label"], p["id"]))
        self.numbered |= {name.lower() for name in numbered}

    def _variant(self, text: str) -> tuple[str, str, str] | None:
        """(base, separator, suffix) of a size or depth variant written as one token."""
        if len(text) >= 4 and text[-1] in "BbMmKkTt" and text[-2].isdigit():
            m = _SIZE_SUFFIX.match(text)
            if m:
                return m.group("base"), " ", text[len(m.group("base")) + 1:]
        m = _DEPTH_SUFFIX.match(text)
        if m and m.group("base").lower() in self.numbered:
            return m.group("base"), "-", m.group("depth")
        return None

    def __call__(self, doc):
        if not self.names:
            return doc
        found = []
        for token in doc:
            variant = self._variant(token.text)
            if variant is None:
                continue
            base, sep, suffix = variant
            hit = self.names.get(base.lower())
            start = token.i
            if hit is None and token.i > 0:
                hit = self.names.get(doc[token.i - 1].lower_ + " " + base.lower())
                start = token.i - 1
            if hit is not None:
                name = f"{hit[1]}{sep}{suffix.upper() if sep == ' ' else suffix}"
                found.append(Span(doc, start, token.i + 1, label=hit[0], span_id=name))
        # "Llama 2 7B", "Llama-2 - 7B": the size as a token of its own after a matched name
        for span in doc.spans.get(self.spans_key, []):
            if span.label_ != "Method" or not span.id_:
                continue
            k = span.end + (1 if span.end < len(doc) and doc[span.end].text in ("-", "_") else 0)
            if k < len(doc) and _SIZE_TOKEN.match(doc[k].text):
                found.append(Span(doc, span.start, k + 1, label="Method",
                                  span_id=f"{span.id_} {doc[k].text.upper()}"))
        if found:
            doc.spans[self.spans_key] = list(doc.spans.get(self.spans_key, [])) + found
        return doc

    def to_disk(self, path, *, exclude=()):
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        with open(path / "names.json", "w", encoding="utf-8") as handle:
            json.dump({"names": self.names, "numbered": sorted(self.numbered)}, handle)

    def from_disk(self, path, *, exclude=()):
        with open(Path(path) / "names.json", encoding="utf-8") as handle:
            data = json.load(handle)
        names = data.get("names", data) if "numbered" in data else data
        self.names = {k: tuple(v) for k, v in names.items()}
        self.numbered = set(data.get("numbered", ()))
        return self


def add_gazetteer(nlp: Language, data_dir: str | Path | None = None) -> None:
    """Add the gazetteer and ambiguous-gazetteer span rulers and the size-variant matcher."""
    lower, exact, ambiguous = gazetteer_patterns(data_dir)
    ruler = nlp.add_pipe("span_ruler", name="gazetteer", config={
        "spans_key": GAZ_KEY, "phrase_matcher_attr": "LOWER", "overwrite": True, "validate": False})
    ruler.add_patterns(lower)
    ruler = nlp.add_pipe("span_ruler", name="gazetteer_cased", config={
        "spans_key": GAZ_KEY, "phrase_matcher_attr": "ORTH", "overwrite": False, "validate": False})
    ruler.add_patterns(exact)
    variants = nlp.add_pipe("kg_size_variants")
    data = Path(data_dir) if data_dir else DATA_DIR
    variants.add_names(lower + exact, [r["id"] for r in read_jsonl(data / "methods.jsonl") if r.get("numbered")]
                       + [a for r in read_jsonl(data / "methods.jsonl") if r.get("numbered") for a in r.get("aliases", [])])
    ruler = nlp.add_pipe("span_ruler", name="gazetteer_ambiguous", config={
        "spans_key": GAZ_AMBIGUOUS_KEY, "phrase_matcher_attr": "ORTH", "overwrite": True, "validate": False})
    ruler.add_patterns(ambiguous)
