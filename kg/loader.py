"""From extraction records (the JSONL interchange format) to graph rows.

A batch of records becomes, per node label and per relationship type, one list
of parameter rows for the ``UNWIND $rows …`` statements in ``cypher/load/``.
Nodes are merged on ``key`` (see ``schema.entity_key``). A relationship is
identified by (endpoints, type, paper): every relationship belongs to exactly
one paper, so the store writes a paper's relationships with ``CREATE`` (no
per-edge ``MERGE``, whose cost grows with the degree of popular nodes) and
keeps "loading twice changes nothing" through the paper's hash instead: an
unchanged paper is skipped, a changed one loses its old relationships first,
and rows are de-duplicated within a batch here.

``paper_hash`` decides whether a stored paper is current: it combines the
paper's content hash (``kg.ingest.Paper.content_hash``: title and abstract)
with the extractor version and the graph format, so ``kg build`` can tell
*before extracting* which papers it may skip, and a graph written by an older
loader is brought up to date by building again.

Each batch also counts, per entity, the batch's papers that mention it
(``GraphRows.mentions``); the store adds these to the entity's stored
``papers`` count (``schema.PAPER_COUNT``).
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field

from kg import schema
from kg.families import family_chain
from kg.ingest import Paper
from kg.resolve import name_rank
from kg.schema import entity_key

#: ``entity_key`` is pure and names repeat across a corpus: remember recent ones.
_key = functools.lru_cache(maxsize=1 << 16)(entity_key)

#: Labels whose nodes may be left without edges when a paper changes.
_ORPHANABLE = (schema.METHOD, schema.DATASET, schema.TASK, schema.METRIC, schema.CODE)
#: Relationship types between two entities (not from a Paper, not to or from a
#: Result): a changed paper's edges of these types are found by their ``paper``.
ENTITY_RELATIONS = tuple(
    rel_type for rel_type, (sources, targets) in schema.RELATIONS.items()
    if any(source != schema.PAPER for source in sources) and schema.RESULT not in sources + targets)


#: What the loader stores beyond the extraction itself. Bump it when that
#: changes (2: the paper's year on every relationship, entity paper counts;
#: 3: no entity without a relationship; 4: results carry own/baseline, papers a
#: short title, no Result without a metric or a dataset; 5: VARIANT_OF families;
#: 6: relations with one meaning each - BUILDS_ON, APPLIED_TO, COMPARES_WITH, MENTIONS):
#: papers stored under another format are reloaded by the next build.
GRAPH_FORMAT = "6"


def paper_hash(content_hash: str, extractor_version: str | None) -> str:
    """The stored ``Paper.hash``: the text's content hash, the extractor
    version and the graph format."""
    basis = f"{content_hash}\n{extractor_version or ''}\n{GRAPH_FORMAT}"
    return hashlib.sha256(basis.encode()).hexdigest()[:32]


def text_hash(title: str | None, abstract: str | None) -> str:
    """``Paper.content_hash`` of a title and abstract (one definition, in kg.ingest)."""
    return Paper(id="", title=title or "", abstract=abstract or "", source="").content_hash()


def record_hash(record: dict) -> str:
    """What decides whether a stored paper must be reloaded."""
    if record.get("hash"):
        return record["hash"]
    return paper_hash(text_hash(record.get("title"), record.get("abstract")),
                      record.get("extractor_version"))


@dataclass
class GraphRows:
    papers: list[dict] = field(default_factory=list)
    nodes: dict[str, list[dict]] = field(default_factory=dict)
    relations: dict[tuple[str, str, str], list[dict]] = field(default_factory=dict)
    #: label -> [{"key", "papers"}]: how many of the batch's papers mention each entity
    mentions: dict[str, list[dict]] = field(default_factory=dict)
    orphan_labels = _ORPHANABLE


@dataclass
class LoadReport:
    papers: int = 0
    unchanged: int = 0
    updated: int = 0
    nodes: int = 0
    relationships: int = 0
    #: entity nodes folded into another by the pass after the load (kg/consolidate.py)
    merged: int = 0

    def add(self, rows: GraphRows, updated: int = 0) -> None:
        self.papers += len(rows.papers)
        self.updated += updated
        self.nodes += len(rows.papers) + sum(len(r) for r in rows.nodes.values())
        self.relationships += sum(len(r) for r in rows.relations.values())

    @property
    def rows(self) -> int:
        return self.nodes + self.relationships


class _Batch:
    """Accumulates de-duplicated node and relationship rows for one batch."""

    def __init__(self):
        self.nodes: dict[tuple[str, str], dict] = {}
        self.relations: dict[tuple, dict] = {}

    def node(self, label: str, name: str, key: str | None = None, aliases=(), known: bool = False,
             **props) -> str:
        """The key of ``name``'s node, with its row added or updated; ``known``: the name is the
        gazetteer's canonical one (see :func:`kg.resolve.name_rank`). Nodes that are one thing
        under different keys are joined after the load (kg/consolidate.py)."""
        key = key or _key(name)
        if not key:
            return ""
        row = self.nodes.get((label, key))
        if row is None:
            row = self.nodes[(label, key)] = {"key": key, "name": name, "aliases": [], "props": {}}
        if label in schema.ENTITY_LABELS:
            rank = name_rank(name, known, label)
            if "name_rank" not in row or rank < row["name_rank"]:
                row["name"], row["name_rank"] = name, rank
        for alias in (name, *aliases):
            if alias and alias not in row["aliases"]:
                row["aliases"].append(alias)
        row["props"].update({k: v for k, v in props.items() if v is not None})
        return key

    def relation(self, rel_type: str, source: tuple[str, str], target: tuple[str, str],
                 paper: str, props: dict) -> None:
        (source_label, source_key), (target_label, target_key) = source, target
        if not source_key or not target_key:
            return
        schema.check_relation(rel_type, source_label, target_label)
        ident = (rel_type, source_label, target_label, source_key, target_key, paper)
        kept = self.relations.get(ident)
        if kept is None or (props.get("confidence") or 0) > (kept["props"].get("confidence") or 0):
            self.relations[ident] = {"source": source_key, "target": target_key, "paper": paper,
                                     "props": {k: v for k, v in props.items() if v is not None}}


def _provenance(item: dict, paper_id: str, year: int | None) -> dict:
    props = {name: item.get(name) for name in schema.PROVENANCE}
    props["paper"] = paper_id
    props["year"] = year
    props["field"] = item.get("field")
    return props


def graph_results(record: dict) -> list[dict]:
    """The record's results that become Result nodes: a value with a metric or a dataset (a bare
    "improves by 4%" says nothing a leaderboard or a comparison can use)."""
    return [r for r in record.get("results", []) if r.get("value") is not None
            and (r.get("metric") or r.get("dataset"))]


def short_title(title: str | None) -> str | None:
    """How the explorer names a paper's unnamed method: the title's lead before a colon
    ("LAMAR: Latent ..." -> "LAMAR"), else its first words."""
    if not title:
        return None
    title = " ".join(title.split())
    for mark in (":", " -- ", " — ", " – ", " - "):
        head = title.split(mark, 1)[0].strip()
        if mark in title and 0 < len(head.split()) <= 6:
            return head
    words = title.split()
    return title if len(words) <= 8 else " ".join(words[:8]) + "…"


def _result_key(paper_id: str, result: dict) -> str:
    basis = json.dumps([paper_id, result.get("method"), result.get("dataset"), result.get("metric"),
                        result.get("value"), result.get("unit"), result.get("setting"),
                        result.get("kind")], sort_keys=True)
    return "r-" + hashlib.sha1(basis.encode()).hexdigest()[:16]


def _result_name(result: dict) -> str:
    value = f"{result.get('value')}{result.get('unit') or ''}"
    parts = [value, result.get("metric") or ""]
    if result.get("dataset"):
        parts.append(f"on {result['dataset']}")
    return " ".join(p for p in parts if p)


def _related_entities(record: dict) -> set[tuple[str, str]]:
    """(label, name) of the entities a relation or result of the paper names.

    Only those become nodes. A mention no relation takes up (a model named in
    passing, a word of an all-capitals title) would be a node with no edge: it
    says nothing about any paper, cannot show its evidence, and was 18% of the
    mentions in SciTLDR's 3,229 abstracts.
    """
    related = set()
    for rel in record.get("relations", []):
        related.add((rel["source_label"], rel["source"]))
        related.add((rel["target_label"], rel["target"]))
    for result in graph_results(record):
        for label, field in ((schema.METHOD, "method"), (schema.DATASET, "dataset"), (schema.METRIC, "metric")):
            if result.get(field):
                related.add((label, result[field]))
    return related


def add_record(batch: _Batch, record: dict) -> dict:
    """Add one paper's extraction to the batch; return its Paper row."""
    paper_id, year = record["id"], record.get("year")
    paper = {"key": paper_id, "props": {
        "id": paper_id, "name": record.get("title"), "title": record.get("title"),
        "abstract": record.get("abstract"), "url": record.get("url"), "year": year,
        "source": record.get("source"), "hash": record_hash(record),
        "extractor": record.get("extractor_version"), "short_title": short_title(record.get("title")),
    }}
    paper["props"] = {k: v for k, v in paper["props"].items() if v is not None}

    related = _related_entities(record)
    for entity in record.get("entities", []):
        if (entity.get("label") in schema.ENTITY_LABELS and entity.get("name")
                and (entity["label"], entity["name"]) in related):
            batch.node(entity["label"], entity["name"], entity.get("key"),
                       aliases=[entity.get("text"), *entity.get("aliases", [])],
                       known=entity.get("extractor") == "gazetteer")

    _add_families(batch, related, paper_id, year)

    for rel in record.get("relations", []):
        rel_type = rel["type"]
        source_label, target_label = rel["source_label"], rel["target_label"]
        if source_label == schema.PAPER:
            source = (schema.PAPER, paper_id)
        else:
            source = (source_label, batch.node(source_label, rel["source"]))
        if target_label == schema.CODE:
            target = (schema.CODE, batch.node(schema.CODE, rel["target"], key=rel["target"],
                                              url=rel["target"]))
        else:
            target = (target_label, batch.node(target_label, rel["target"]))
        batch.relation(rel_type, source, target, paper_id, _provenance(rel, paper_id, year))

    for result in graph_results(record):
        key = _result_key(paper_id, result)
        props = {name: result.get(name) for name in
                 ("value", "unit", "metric", "dataset", "method", "setting", "kind", "evidence",
                  "start", "end", "confidence", "own", "baseline", "value_min", "previous", "text", "direction")}
        props["paper"] = paper_id
        batch.node(schema.RESULT, _result_name(result), key=key, **props)
        provenance = _provenance(result, paper_id, year)
        result_node = (schema.RESULT, key)
        batch.relation(schema.HAS_RESULT, (schema.PAPER, paper_id), result_node, paper_id, provenance)
        if result.get("method"):
            method = (schema.METHOD, batch.node(schema.METHOD, result["method"]))
            batch.relation(schema.ACHIEVES, method, result_node, paper_id, provenance)
        if result.get("dataset"):
            dataset = (schema.DATASET, batch.node(schema.DATASET, result["dataset"]))
            batch.relation(schema.ON, result_node, dataset, paper_id, provenance)
        if result.get("metric"):
            metric = (schema.METRIC, batch.node(schema.METRIC, result["metric"],
                                                direction=result.get("direction")))
            batch.relation(schema.MEASURED_BY, result_node, metric, paper_id, provenance)
    return paper


def _add_families(batch: _Batch, related: set[tuple[str, str]], paper_id: str, year: int | None) -> None:
    """VARIANT_OF links from the paper's dataset and method variants to their families ("SQuAD 2.0"
    -> "SQuAD"), with the variant's version, split or size on its node (kg/families.py)."""
    provenance = {"paper": paper_id, "year": year, "extractor": "name", "confidence": 1.0}
    for label, name in sorted(related):
        if label not in (schema.DATASET, schema.METHOD):
            continue
        for variant, family, props in family_chain(label, name):
            variant_key = batch.node(label, variant, **props)
            family_key = batch.node(label, family)
            if variant_key and family_key and variant_key != family_key:
                batch.relation(schema.VARIANT_OF, (label, variant_key), (label, family_key), paper_id, provenance)


def rows_for_batch(records: list[dict]) -> GraphRows:
    """Rows for a batch of records (a paper id given twice: the last one counts)."""
    records = list({record["id"]: record for record in records}.values())
    batch = _Batch()
    papers = [add_record(batch, record) for record in records]
    nodes: dict[str, list[dict]] = defaultdict(list)
    for (label, _key), row in batch.nodes.items():
        nodes[label].append(row)
    relations: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    mentioned_by: dict[tuple[str, str], set[str]] = defaultdict(set)
    for (rel_type, source_label, target_label, *_rest), row in batch.relations.items():
        relations[(rel_type, source_label, target_label)].append(row)
        for label, key in ((source_label, row["source"]), (target_label, row["target"])):
            if label in schema.ENTITY_LABELS:
                mentioned_by[(label, key)].add(row["paper"])
    mentions: dict[str, list[dict]] = defaultdict(list)
    for (label, key), paper_ids in mentioned_by.items():
        mentions[label].append({"key": key, "papers": len(paper_ids)})
    return GraphRows(papers=papers, nodes=dict(nodes), relations=dict(relations),
                     mentions=dict(mentions))
