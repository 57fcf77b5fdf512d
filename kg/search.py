"""Forgiving entity search: one ranking for ``kg query search``, the explorer's search view and
its type-ahead index.

A query finds a method, dataset, task or metric by its name or any alias, forgiving what people
type differently: case, hyphens and spaces ("ov dino" finds OV-DINO), digits glued or apart
("llama3" finds Llama 3), an acronym for a multi-word name ("nli" finds Natural Language
Inference), and typos (rapidfuzz: "imagnet" finds ImageNet). Hits are ranked by how they match,
then by how many papers mention the entity.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from rapidfuzz import fuzz, process

#: The ``kg query`` header of the query (parameters and columns), as a ``.cypher`` file would have it.
HEADER = """\
// Find methods, datasets, tasks and metrics by name or alias, forgiving case, hyphens, spaces, digits
// glued or apart, acronyms and typos; best match first, then the most mentioned (kg/search.py).
// Parameters: q (text to find), label (optional: Method, Dataset, Task or Metric), limit (optional: most rows, default 25)
// Returns: label, key, name, aliases, papers, match, exact
// Example: kg query search -p q="ov dino"
"""

#: how a hit matched, best first
MATCHES = ("exact", "spelling", "acronym", "prefix", "contains", "typo")
_RANK = {m: i for i, m in enumerate(MATCHES)}
_WORDS = re.compile(r"[^\W_]+", re.UNICODE)
_TYPO_CUTOFF = 84


class Candidate(NamedTuple):
    label: str
    key: str
    name: str
    aliases: tuple[str, ...] = ()
    papers: int = 0


def fold(text: str) -> str:
    """Case, hyphens, spaces and punctuation away: "OV-DINO" -> "ovdino", "Llama 3" -> "llama3"."""
    return "".join(_WORDS.findall(text.casefold()))


def acronym(text: str) -> str:
    """Initials of a name of two or more words ("Natural Language Inference" -> "nli"); "" else."""
    words = _WORDS.findall(text.casefold())
    return "".join(w[0] for w in words) if len(words) >= 2 else ""


def rank(entities: Iterable[Any], q: str, limit: int = 25, label: str | None = None) -> list[tuple[Any, str]]:
    """(entity, how it matched) best first. An entity is anything with ``label``, ``name``,
    ``aliases`` and ``papers`` (``Candidate``, the explorer's ``Entity``)."""
    text = (q or "").strip()
    needle = fold(text)
    if not needle:
        return []
    pool = [e for e in entities if label is None or e.label == label]
    best: dict[int, tuple[int, int, int, str]] = {}
    spellings: list[str] = []
    owners: list[int] = []
    for i, entity in enumerate(pool):
        for spelling in (entity.name, *(a for a in entity.aliases if a)):
            how = _how(text, needle, spelling)
            if how is not None:
                _keep(best, i, how, entity)
            spellings.append(fold(spelling))
            owners.append(i)
    if len(needle) >= 4:  # typos: only where nothing better matched
        for _, score, j in process.extract(needle, spellings, scorer=fuzz.ratio, score_cutoff=_TYPO_CUTOFF,
                                            limit=limit * 4):
            i = owners[j]
            if i not in best:
                _keep(best, i, "typo", pool[i], -int(score))
    order = sorted(best.items(), key=lambda item: item[1][:3] + (pool[item[0]].name.casefold(),))
    return [(pool[i], MATCHES[key[0]]) for i, key in order[:limit]]


def _how(text: str, needle: str, spelling: str) -> str | None:
    if text.casefold() == spelling.casefold():
        return "exact"
    folded = fold(spelling)
    if not folded:
        return None
    if needle == folded:
        return "spelling"
    if len(needle) >= 2 and needle == acronym(spelling):
        return "acronym"
    if folded.startswith(needle):
        return "prefix"
    if len(needle) >= 3 and needle in folded:
        return "contains"
    return None


def _keep(best: dict, i: int, how: str, entity: Any, tie: int = 0) -> None:
    key = (_RANK[how], tie, -int(entity.papers or 0), len(entity.name))
    if i not in best or key < best[i]:
        best[i] = key


def rows(hits: Sequence[tuple[Any, str]]) -> list[dict]:
    """Hits as the rows ``kg query search`` prints and the explorer shows."""
    return [{"label": e.label, "key": e.key, "name": e.name, "aliases": list(e.aliases),
             "papers": e.papers, "match": how, "exact": how == "exact"} for e, how in hits]


def candidates(index_rows: Iterable[dict]) -> list[Candidate]:
    """Candidates from the ``entity-index`` named query's rows."""
    return [Candidate(label=r["label"], key=r["key"], name=r.get("name") or r["key"],
                      aliases=tuple(a for a in (r.get("aliases") or []) if isinstance(a, str)),
                      papers=r.get("papers") or 0)
            for r in index_rows if r.get("key")]


def search(store, q: str, limit: int = 25, label: str | None = None) -> list[dict]:
    """The ``search`` named query on a store: the entity index, ranked."""
    return rows(rank(candidates(store.run_named("entity-index")), q, limit=limit, label=label))
