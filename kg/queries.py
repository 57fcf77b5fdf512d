"""The Cypher library in ``cypher/``: schema, loader statements, named queries.

Cypher lives in ``.cypher`` files, never in Python strings. A named query
file starts with a comment header (what it answers, its parameters, what it
returns, an example); this module parses that header so the CLI and the
explorer can list and document queries without repeating them.

Loader statements are templates only in the node labels and relation types
(Cypher cannot parameterise those); ``render`` accepts schema names only, so
every user-supplied value still travels as a query parameter.

A named query may hold one template slot, ``{label}`` (the slot syntax of the
loader templates), where a label that arrives as the ``label`` parameter must
become part of the query text: ``MATCH (n:{label})`` reads one label's nodes
instead of scanning every node for ``$label IN labels(n)``, which on a graph
of 100,000 papers is the difference between a few and a few hundred
milliseconds. ``fill_label`` fills it, accepting the node labels of
``kg/schema.py`` only (``BoltStore.run_named`` does this from
``params["label"]``); the value still travels as ``$label`` as well, for
queries that return it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources

from kg import schema

_HEADER_FIELD = re.compile(r"^(Parameters|Returns|Example):\s*(.*)$", re.I)
#: The template slot a named query may hold (filled by ``fill_label``).
_QUERY_SLOT = re.compile(r"\{(label)\}")


@dataclass(frozen=True)
class NamedQuery:
    """A query file of ``cypher/queries/`` with its parsed header."""

    name: str
    text: str
    question: str
    parameters: tuple[str, ...] = field(default_factory=tuple)
    optional: tuple[str, ...] = field(default_factory=tuple)
    returns: tuple[str, ...] = field(default_factory=tuple)
    example: str = ""
    #: Template slots in the query text (only ``label``; see ``fill_label``).
    slots: tuple[str, ...] = field(default_factory=tuple)
    #: A query answered in Python over other named queries (``search``: kg/search.py), not by Cypher.
    python: bool = False


class UnknownQuery(KeyError):
    def __str__(self) -> str:
        return f"no named query {self.args[0]!r}; known: {', '.join(query_names())}"


def _read(relative: str) -> str:
    return resources.files("cypher").joinpath(relative).read_text(encoding="utf-8")


def _parse(name: str, text: str) -> NamedQuery:
    question, fields = [], {}
    for line in text.splitlines():
        if not line.startswith("//"):
            break
        line = line[2:].strip()
        match = _HEADER_FIELD.match(line)
        if match:
            fields[match.group(1).lower()] = match.group(2).strip()
        elif not fields:
            question.append(line)

    def names(value: str) -> tuple[str, ...]:
        if not value or value.lower().startswith("none"):
            return ()
        value = re.sub(r"\([^)]*\)", "", value)  # drop "(explanations, like this)"
        return tuple(part.strip() for part in value.split(",") if part.strip())

    parameters = fields.get("parameters", "")
    optional = tuple(re.findall(r"(\w+)\s*\(optional", parameters))
    return NamedQuery(
        name=name,
        text=text,
        question=" ".join(question).strip(),
        parameters=names(parameters),
        optional=optional,
        returns=names(fields.get("returns", "")),
        example=fields.get("example", ""),
        slots=tuple(sorted(set(_QUERY_SLOT.findall(_body(text))))),
    )


@lru_cache(maxsize=None)
def named_queries() -> dict[str, NamedQuery]:
    folder = resources.files("cypher").joinpath("queries")
    found = {}
    for entry in folder.iterdir():
        if entry.name.endswith(".cypher"):
            name = entry.name.removesuffix(".cypher")
            found[name] = _parse(name, entry.read_text(encoding="utf-8"))
    from kg.search import HEADER

    found["search"] = replace(_parse("search", HEADER), python=True)
    return dict(sorted(found.items()))


def query_names() -> list[str]:
    return list(named_queries())


def named_query(name: str) -> NamedQuery:
    try:
        return named_queries()[name]
    except KeyError:
        raise UnknownQuery(name) from None


def _body(text: str) -> str:
    """The Cypher of a file without its comment lines."""
    return "\n".join(line for line in text.splitlines() if not line.strip().startswith("//"))


def _statements(text: str) -> list[str]:
    body = _body(text)
    return [part.strip() for part in body.split(";") if part.strip()]


@lru_cache(maxsize=None)
def schema_statements() -> tuple[str, ...]:
    """The constraint and index statements of ``cypher/schema.cypher``."""
    return tuple(_statements(_read("schema.cypher")))


@lru_cache(maxsize=None)
def load_statement(name: str) -> str:
    """A loader statement template from ``cypher/load/``."""
    return _read(f"load/{name}.cypher")


_ALLOWED_NAMES = set(schema.NODE_LABELS) | set(schema.RELATION_TYPES)
_SLOT = re.compile(r"\{(label|type|source|target)\}")


def render(name: str, **names: str) -> str:
    """Fill a loader template's label/type slots, with schema names only."""
    for value in names.values():
        if value not in _ALLOWED_NAMES:
            raise ValueError(f"{value!r} is not a label or relation type of the schema")
    return _SLOT.sub(lambda m: names[m.group(1)], load_statement(name))


def fill_label(query: NamedQuery, label: object) -> str:
    """A named query's text with its ``{label}`` slot filled.

    Only a node label of the schema is accepted (compared exactly, so no
    other text can reach the query); anything else raises ``ValueError``.
    A query without the slot comes back unchanged.
    """
    if "label" not in query.slots:
        return query.text
    if not isinstance(label, str) or label not in schema.NODE_LABELS:
        raise ValueError(f"query {query.name!r} needs parameter label to be a node label of the "
                         f"schema ({', '.join(schema.NODE_LABELS)}); got {label!r}")
    return _QUERY_SLOT.sub(label, query.text)
