"""One node per real thing, whatever order the papers came in: consolidation after a load.

The loader writes each entity under its own key; a name can also come typed two ways in
different papers (MNIST a Dataset in most, a Method where one paper's wording misled the
extractor). After each load this pass looks at the whole graph and:

1. groups the entity nodes that are one thing (kg/resolve.py): the same key under several
   labels, a node whose key is an alias of exactly one other node of its label, long keys that
   differ by a plural or a typo, a node whose best name has another node's key;
2. gives each group one label, by the evidence of all its relationships (a name the gazetteer
   knows with that label first, then the relations that imply a type: evaluated on, results on,
   introduced, used, addressed, mentioned), ties broken in a fixed label order;
3. gives it one name (the best-ranked, :func:`kg.resolve.name_rank`) and the key of that name;
4. rewrites the group as that one node: every relationship moves to it, a relationship the
   schema does not allow for the new label becomes a plain ``MENTIONS`` from its paper (or is
   dropped, and counted, when no paper is at its other end), duplicates are written once.

The result depends on the set of papers, not on their order or on ``-j``: that is what the
determinism test in tests/test_consolidate.py checks.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from kg import queries, schema
from kg.resolve import FUZZY_MIN_LENGTH, name_rank, same_by_spelling
from kg.schema import entity_key

#: Label order when the evidence is even.
TIE_ORDER = (schema.DATASET, schema.METHOD, schema.TASK, schema.METRIC)
#: Evidence a relationship gives for its entity's label; the gazetteer's word outweighs all.
RELATION_WEIGHT = {schema.MENTIONS: 1, schema.VARIANT_OF: 0}
DEFAULT_WEIGHT = 2
GAZETTEER_WEIGHT = 1000

Node = tuple[str, str]  # (label, key)


@dataclass
class ConsolidationReport:
    groups: int = 0
    merged: int = 0  # nodes folded into another
    rekeyed: int = 0  # single nodes whose key now follows their best name
    retyped: int = 0  # groups whose members had more than one label
    dropped: int = 0  # relationships the chosen label does not allow, with no paper to mention it
    details: list[str] = field(default_factory=list)


class _Groups:
    """Union-find over (label, key)."""

    def __init__(self):
        self.parent: dict[Node, Node] = {}

    def find(self, node: Node) -> Node:
        self.parent.setdefault(node, node)
        while self.parent[node] != node:
            self.parent[node] = self.parent[self.parent[node]]
            node = self.parent[node]
        return node

    def union(self, a: Node, b: Node) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def find_groups(entities: dict[Node, dict]) -> list[list[Node]]:
    """The groups of entity nodes (``{(label, key): {name, name_rank, aliases}}``) that are one
    thing, each sorted, including single nodes whose key is not their best name's; the rest
    are left out."""
    by_key: dict[str, list[Node]] = defaultdict(list)
    owners: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for (label, key), row in entities.items():
        by_key[key].append((label, key))
        for alias in row.get("aliases") or []:
            alias_key = entity_key(alias) if alias else ""
            if alias_key and alias_key != key:
                owners[label][alias_key].add(key)
    groups = _Groups()
    for node, row in entities.items():
        label, key = node
        groups.find(node)
        for other in by_key[key]:  # the same key under another label
            groups.union(node, other)
        canonical = entity_key(row.get("name") or "")
        for other in by_key.get(canonical, []):  # its best name is another node's key
            groups.union(node, other)
        claimed = owners[label].get(key, set())
        if len(claimed) == 1:  # its key is an alias of exactly one other node
            groups.union(node, (label, next(iter(claimed))))
    for label in {label for label, _ in entities}:  # a plural or a typo of a long name
        keys = sorted(key for lab, key in entities if lab == label)
        by_prefix: dict[str, list[str]] = defaultdict(list)
        for key in keys:
            if len(key) >= FUZZY_MIN_LENGTH:
                by_prefix[key[:2]].append(key)
        for bucket in by_prefix.values():
            for i, key in enumerate(bucket):
                for other in bucket[i + 1:]:
                    if same_by_spelling(key, other):
                        groups.union((label, key), (label, other))
    members: dict[Node, list[Node]] = defaultdict(list)
    for node in entities:
        members[groups.find(node)].append(node)
    out = []
    for group in members.values():
        group.sort()
        if len(group) > 1:
            out.append(group)
        else:
            (label, key), = group
            if entity_key(entities[group[0]].get("name") or key) not in ("", key):
                out.append(group)
    return sorted(out)


def _rank(node: Node, row: dict) -> str:
    return row.get("name_rank") or name_rank(row.get("name") or "", label=node[0])


def choose(group: list[Node], entities: dict[Node, dict], edges: list[dict]) -> tuple[str, str, str, str]:
    """(label, key, name, name_rank) of the one node ``group`` becomes; ``edges`` are its
    members' relationships ({member, type, ...})."""
    evidence: dict[str, int] = defaultdict(int)
    for node in group:
        evidence[node[0]] += 0
        if _rank(node, entities[node]).startswith("00"):  # the gazetteer's canonical name for this label
            evidence[node[0]] += GAZETTEER_WEIGHT
    for edge in edges:
        evidence[edge["member"][0]] += RELATION_WEIGHT.get(edge["type"], DEFAULT_WEIGHT)
    label = max(evidence, key=lambda lab: (evidence[lab], -TIE_ORDER.index(lab)))
    # every member's name ranked as a name of the chosen label (a task's long form, a method's
    # short one), the gazetteer's word kept
    ranked = sorted((name_rank(entities[node].get("name") or node[1],
                               known=_rank(node, entities[node]).startswith("00"), label=label), node)
                    for node in group)
    rank, best = ranked[0]
    name = entities[best].get("name") or best[1]
    return label, entity_key(name) or best[1], name, rank


def _allowed(rel_type: str, source_label: str, target_label: str) -> bool:
    sources, targets = schema.RELATIONS.get(rel_type, ((), ()))
    return source_label in sources and target_label in targets


def consolidate(store) -> ConsolidationReport:
    """Run the pass on a :class:`kg.stores.BoltStore` (embedded or Bolt) in one write transaction."""
    with store._driver.session(database=store.database) as session:
        return session.execute_write(_consolidate)


def _consolidate(tx) -> ConsolidationReport:
    report = ConsolidationReport()
    entities: dict[Node, dict] = {}
    for label in schema.ENTITY_LABELS:
        for row in tx.run(queries.render("entity-names", label=label)):
            entities[(label, row["key"])] = dict(row)
    groups = find_groups(entities)
    if not groups:
        return report
    member_keys: dict[str, list[str]] = defaultdict(list)
    for group in groups:
        for label, key in group:
            member_keys[label].append(key)
    props: dict[Node, dict] = {}
    edges: dict[Node, list[dict]] = defaultdict(list)
    for label, keys in member_keys.items():
        for row in tx.run(queries.render("entity-nodes", label=label), keys=keys):
            props[(label, row["key"])] = dict(row["props"])
        for direction in ("out", "in"):
            for row in tx.run(queries.render(f"entity-edges-{direction}", label=label), keys=keys):
                edges[(label, row["key"])].append({"member": (label, row["key"]), "direction": direction,
                                                   "type": row["type"], "other": (row["other_label"], row["other"]),
                                                   "props": dict(row["props"])})
    winners: dict[Node, tuple[str, str, str, str]] = {}
    for group in groups:
        group_edges = [e for node in group for e in edges[node]]
        winner = choose(group, entities, group_edges)
        for node in group:
            winners[node] = winner
        report.groups += 1
        report.merged += len(group) - 1
        if len(group) == 1:
            report.rekeyed += 1
        if len({label for label, _ in group}) > 1:
            report.retyped += 1
        if len(group) > 1 or (winner[0], winner[1]) != group[0]:
            names = " + ".join(f"{lab}:{entities[(lab, k)].get('name')}" for lab, k in group)
            report.details.append(f"{names} -> {winner[0]}:{winner[2]}")

    def moved(node: Node) -> Node:
        winner = winners.get(node)
        return (winner[0], winner[1]) if winner else node

    # every relationship of a member, on the winners' nodes, each once
    rels: dict[tuple, dict] = {}
    for node_edges in edges.values():
        for edge in node_edges:
            me, other = moved(edge["member"]), moved(edge["other"])
            source, target = (me, other) if edge["direction"] == "out" else (other, me)
            rel_type = edge["type"]
            if source == target:
                continue  # a member's link to another member ("SQuAD v2" VARIANT_OF "SQuAD 2")
            if not _allowed(rel_type, source[0], target[0]):
                if source[0] == schema.PAPER and _allowed(schema.MENTIONS, source[0], target[0]):
                    rel_type = schema.MENTIONS
                else:
                    report.dropped += 1
                    continue
            ident = (rel_type, source, target, edge["props"].get("paper"))
            kept = rels.get(ident)
            if kept is None or (edge["props"].get("confidence") or 0) > (kept["props"].get("confidence") or 0):
                rels[ident] = {"source": source, "target": target, "props": edge["props"]}
    specific = {(source, target) for (rel_type, source, target, _paper) in rels if rel_type != schema.MENTIONS}
    rels = {ident: rel for ident, rel in rels.items()
            if ident[0] != schema.MENTIONS or (ident[1], ident[2]) not in specific}

    new_nodes: dict[Node, dict] = {}
    for group in groups:
        label, key, name, rank = winners[group[0]]
        merged: dict = {}
        aliases: set[str] = set()
        for node in sorted(group, key=lambda n: (n[0] != label, _rank(n, entities[n]), n)):
            for prop, value in props.get(node, {}).items():
                merged.setdefault(prop, value)
            aliases.update(a for a in props.get(node, {}).get("aliases") or [] if a)
        merged.update({"key": key, "name": name, "name_rank": rank, "aliases": sorted(aliases)})
        new_nodes[(label, key)] = merged
    papers: dict[Node, set] = defaultdict(set)
    for (_type, source, target, paper) in rels:
        for end in (source, target):
            if end in new_nodes and paper:
                papers[end].add(paper)
    for node, merged in new_nodes.items():
        merged[schema.PAPER_COUNT] = len(papers[node])

    for label, keys in member_keys.items():
        tx.run(queries.render("delete-entities", label=label), keys=keys).consume()
    by_label: dict[str, list[dict]] = defaultdict(list)
    for (label, _key), merged in sorted(new_nodes.items()):
        by_label[label].append({"props": merged})
    for label, rows in by_label.items():
        tx.run(queries.render("create-entities", label=label), rows=rows).consume()
    by_type: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for (rel_type, source, target, paper), rel in sorted(rels.items(), key=lambda kv: repr(kv[0])):
        by_type[(rel_type, source[0], target[0])].append(
            {"source": source[1], "target": target[1], "paper": paper, "props": rel["props"]})
    for (rel_type, source_label, target_label), rows in by_type.items():
        statement = queries.render("relations", type=rel_type, source=source_label, target=target_label)
        tx.run(statement, rows=rows).consume()
    return report
