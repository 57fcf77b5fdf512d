"""The graph's schema, defined once: node labels, relationship types, keys.

Everything that writes or reads the graph (extractors, loaders, queries, the
explorer, exports) imports its names from here, so a label or a relation type
is spelled in exactly one place.
"""

from __future__ import annotations

import re
import unicodedata

# --- node labels -----------------------------------------------------------
PAPER = "Paper"
METHOD = "Method"
DATASET = "Dataset"
TASK = "Task"
METRIC = "Metric"
RESULT = "Result"
CODE = "Code"

#: Labels of the things extraction names (each has ``key``, ``name``, ``aliases``).
ENTITY_LABELS = (METHOD, DATASET, TASK, METRIC)
NODE_LABELS = (PAPER, *ENTITY_LABELS, RESULT, CODE)

#: Every node is unique on ``key`` within its label.
NODE_KEY = "key"

# --- relationship types: name -> (allowed source labels, allowed target labels)
INTRODUCES = "INTRODUCES"
EVALUATES_ON = "EVALUATES_ON"
USES = "USES"
ADDRESSES = "ADDRESSES"
HAS_CODE = "HAS_CODE"
REPORTS_ON = "REPORTS_ON"
HAS_RESULT = "HAS_RESULT"
ACHIEVES = "ACHIEVES"
ON = "ON"
MEASURED_BY = "MEASURED_BY"
OUTPERFORMS = "OUTPERFORMS"
#: lineage: the paper's own method (or the paper, when it names none) is derived from a method
BUILDS_ON = "BUILDS_ON"
#: the paper's own technique is run on a model it does not derive from
APPLIED_TO = "APPLIED_TO"
#: a baseline the paper compares against
COMPARES_WITH = "COMPARES_WITH"
#: a named entity the paper mentions that no other relation of the paper takes up
MENTIONS = "MENTIONS"
#: "SQuAD 2.0" -> "SQuAD", "Llama 2 7B" -> "Llama 2": read from the names (kg/families.py)
VARIANT_OF = "VARIANT_OF"

RELATIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    INTRODUCES: ((PAPER,), (METHOD, DATASET)),
    EVALUATES_ON: ((PAPER,), (DATASET,)),
    USES: ((PAPER,), (METHOD,)),
    ADDRESSES: ((PAPER,), (TASK,)),
    HAS_CODE: ((PAPER,), (CODE,)),
    REPORTS_ON: ((METHOD,), (DATASET,)),
    HAS_RESULT: ((PAPER,), (RESULT,)),
    ACHIEVES: ((METHOD,), (RESULT,)),
    ON: ((RESULT,), (DATASET,)),
    MEASURED_BY: ((RESULT,), (METRIC,)),
    OUTPERFORMS: ((METHOD,), (METHOD,)),
    BUILDS_ON: ((METHOD, PAPER), (METHOD,)),
    APPLIED_TO: ((METHOD, PAPER), (METHOD,)),
    COMPARES_WITH: ((PAPER,), (METHOD,)),
    MENTIONS: ((PAPER,), (METHOD, DATASET, TASK, METRIC)),
    VARIANT_OF: ((METHOD, DATASET), (METHOD, DATASET)),
}
RELATION_TYPES = tuple(RELATIONS)

#: Relations the extractor emits in the interchange format (the rest are built
#: by the loader from ``results``).
EXTRACTED_RELATIONS = (INTRODUCES, EVALUATES_ON, USES, ADDRESSES, HAS_CODE, REPORTS_ON, OUTPERFORMS, BUILDS_ON,
                       APPLIED_TO, COMPARES_WITH, MENTIONS)

#: Provenance carried by every relationship. ``year`` is the paper's, copied
#: onto its relationships so that "newest papers first" listings of a popular
#: entity sort its edges without looking up thousands of papers.
PROVENANCE = ("paper", "year", "evidence", "start", "end", "extractor", "confidence")

#: On Method, Dataset, Task and Metric nodes: how many papers mention the
#: entity (any relationship). Kept by the loader, so listings of every entity
#: with its count read the nodes instead of every relationship in the graph.
PAPER_COUNT = "papers"
#: On entity nodes: the sort key that picked the display name (kg/resolve.py name_rank);
#: bookkeeping for the loader, left out of exports.
NAME_RANK = "name_rank"

#: Properties whose index must know their type before any node has them
#: (``cypher/schema.cypher`` indexes Paper.year so that "newest papers" reads the
#: index backwards): ArcadeDB gives an index on a property it has not seen yet
#: string keys, and its planner then will not read it in order. The embedded
#: store declares these before the schema; Neo4j needs nothing.
TYPED_PROPERTIES = {(PAPER, "year"): "INTEGER"}

_SPACE = re.compile(r"\s+")
_KEY_DROP = re.compile(r"[\s\-_./·‐‑‒–—']+")


def display_name(text: str) -> str:
    """Tidy a surface string into a display name (NFKC, single spaces, no quotes)."""
    text = unicodedata.normalize("NFKC", text)
    text = _SPACE.sub(" ", text).strip().strip("\"'“”‘’`")
    return text


def entity_key(name: str) -> str:
    """The canonical key of an entity name.

    Case, spaces, hyphens, dots and underscores do not distinguish things:
    ``LLaMA-2``, ``Llama 2`` and ``llama2`` share one key. A trailing ``.0``
    version (``Wav2Vec 2.0``) is the same release as ``2``.
    """
    text = display_name(name).casefold()
    text = re.sub(r"(\d)\.0\b", r"\1", text)
    return _KEY_DROP.sub("", text)


def check_relation(rel_type: str, source_label: str, target_label: str) -> None:
    """Raise ValueError unless the schema allows this relationship."""
    if rel_type not in RELATIONS:
        raise ValueError(f"unknown relation type {rel_type!r}")
    sources, targets = RELATIONS[rel_type]
    if source_label not in sources or target_label not in targets:
        raise ValueError(f"{rel_type} does not join {source_label} to {target_label}")
