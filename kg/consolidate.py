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

The result depends on the set of papers, not on their order, on ``-j`` or on how they were
split into builds: what a pass rewrites keeps what was extracted, so the next pass decides as
if the papers had come together. A node keeps the labels and keys of the nodes folded into it
(``merged_from``, "Label:key": they still group, by key, alias or spelling, with nodes that
come later), and
a relationship the type and the labels it was extracted with (``extracted_type``,
``extracted_source_label``, ``extracted_target_label``: label evidence, and a ``MENTIONS`` that
the chosen label forced becomes its extracted type again when a later label allows it). The
determinism tests in tests/test_consolidate.py check both.
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
    # a node answers as itself and as each node an earlier pass folded into it
    identities = {node: {node, *(_node(text) for text in row.get("merged_from") or [])}
                  for node, row in entities.items()}
    by_key: dict[str, list[Node]] = defaultdict(list)
    owners: dict[str, dict[str, set[Node]]] = defaultdict(lambda: defaultdict(set))
    for node, row in entities.items():
        for _label, key in identities[node]:
            by_key[key].append(node)
        for alias in row.get("aliases") or []:
            alias_key = entity_key(alias) if alias else ""
            if alias_key:
                owners[node[0]][alias_key].add(node)
    expansions = {node: _expansions(node[1], row) for node, row in entities.items()}
    groups = _Groups()
    for node, row in entities.items():
        groups.find(node)
        for label, key in identities[node]:
            for other in by_key[key]:  # the same key under another label (or folded in)
                if not _spelled_apart(expansions[node], expansions[other]):
                    groups.union(node, other)
            claimed = owners[label].get(key, set()) - {node}
            if len(claimed) == 1:  # its key is an alias of exactly one other node of its label
                groups.union(node, next(iter(claimed)))
        canonical = entity_key(row.get("name") or "")
        for other in by_key.get(canonical, []):  # its best name is another node's key
            if not _spelled_apart(expansions[node], expansions[other]):
                groups.union(node, other)
    # a plural or a typo of a long name, under one label
    spelled = sorted((label, key, node) for node, ids in identities.items() for label, key in ids
                     if len(key) >= FUZZY_MIN_LENGTH)
    by_prefix: dict[tuple[str, str], list[tuple[str, Node]]] = defaultdict(list)
    for label, key, node in spelled:
        by_prefix[(label, key[:2])].append((key, node))
    for bucket in by_prefix.values():
        for i, (key, node) in enumerate(bucket):
            for other_key, other in bucket[i + 1:]:
                if other != node and same_by_spelling(key, other_key):
                    groups.union(node, other)
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


def _expansions(key: str, row: dict) -> set[str]:
    """The long forms among a node's aliases (keys longer than its own by more than a few
    letters): what an acronym was written out as."""
    return {alias_key for alias in row.get("aliases") or [] if alias
            for alias_key in [entity_key(alias)] if len(alias_key) > len(key) + 3}


def _spelled_apart(ours: set[str], theirs: set[str]) -> bool:
    """Two acronyms with the same letters but written out differently ("EM": Exact Match, a
    metric; Expectation Maximization, a method) are two things, whatever their labels."""
    if not ours or not theirs or ours & theirs:
        return False
    return not any(same_by_spelling(a, b) or a.endswith(b) or b.endswith(a) for a in ours for b in theirs)


def _node(text: str) -> Node:
    """``"Label:key"`` → ``(label, key)``."""
    label, _, key = text.partition(":")
    return label, key


def _rank(node: Node, row: dict) -> str:
    return row.get("name_rank") or name_rank(row.get("name") or "", label=node[0])


def choose(group: list[Node], entities: dict[Node, dict], edges: list[dict]) -> tuple[str, str, str, str]:
    """(label, key, name, name_rank) of the one node ``group`` becomes; ``edges`` are its
    members' relationships ({member, type, ...}; ``extracted_label``/``extracted_type`` when a
    pass rewrote them: the evidence is what was extracted)."""
    evidence: dict[str, int] = defaultdict(int)
    for node in group:
        evidence[node[0]] += 0
        if _rank(node, entities[node]).startswith("00"):  # the gazetteer's canonical name for this label
            evidence[node[0]] += GAZETTEER_WEIGHT
    for edge in edges:  # what each relationship was extracted as, not what a pass made of it
        label = edge.get("extracted_label", edge["member"][0])
        evidence[label] += RELATION_WEIGHT.get(edge.get("extracted_type", edge["type"]), DEFAULT_WEIGHT)
    label = max(evidence, key=lambda lab: (evidence[lab], -TIE_ORDER.index(lab)))
    # every member's name ranked as a name of the chosen label (a task's long form, a method's
    # short one), the gazetteer's word kept
    ranked = sorted((name_rank(entities[node].get("name") or node[1],
                               known=_rank(node, entities[node]).startswith("00"), label=label), node)
                    for node in group)
    rank, best = ranked[0]
    name = entities[best].get("name") or best[1]
    return label, entity_key(name) or best[1], name, rank


def _extracted_as(props: dict, rel_type: str, direction: str, label: str, other_label: str) -> dict:
    """``props`` with the type and end labels the relationship was extracted with: kept when a
    pass set them, else (never rewritten yet) its present ones."""
    source, target = (label, other_label) if direction == "out" else (other_label, label)
    props.setdefault("extracted_type", rel_type)
    props.setdefault("extracted_source_label", source)
    props.setdefault("extracted_target_label", target)
    return props


def _allowed(rel_type: str, source_label: str, target_label: str) -> bool:
    sources, targets = schema.RELATIONS.get(rel_type, ((), ()))
    return source_label in sources and target_label in targets


#: Passes at most: a pass can make the next one's groups (a merged node owns its members'
#: aliases), so passes run until one finds nothing; more than a few means a bug, not a corpus.
MAX_PASSES = 8


def consolidate(store) -> ConsolidationReport:
    """Run the passes on a :class:`kg.stores.BoltStore` (embedded or Bolt) in one write
    transaction, until the graph has nothing left to group (the same fixed point whatever the
    order and the builds the papers came in)."""
    def run(tx) -> ConsolidationReport:
        total = ConsolidationReport()
        for _ in range(MAX_PASSES):
            report = _consolidate(tx)
            if not report.groups:
                break
            for name in ("groups", "merged", "rekeyed", "retyped", "dropped"):
                setattr(total, name, getattr(total, name) + getattr(report, name))
            total.details += report.details
        return total

    with store._driver.session(database=store.database) as session:
        return session.execute_write(run)


def _consolidate(tx) -> ConsolidationReport:
    """One pass: group, choose, rewrite."""
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
    evidence_labels = set(schema.ENTITY_LABELS)
    for label, keys in member_keys.items():
        for row in tx.run(queries.render("entity-nodes", label=label), keys=keys):
            props[(label, row["key"])] = dict(row["props"])
        for direction in ("out", "in"):
            for row in tx.run(queries.render(f"entity-edges-{direction}", label=label), keys=keys):
                rel_props = _extracted_as(dict(row["props"]), row["type"], direction, label, row["other_label"])
                own = rel_props["extracted_source_label" if direction == "out" else "extracted_target_label"]
                edges[(label, row["key"])].append({"member": (label, row["key"]), "direction": direction,
                                                   "type": row["type"], "other": (row["other_label"], row["other"]),
                                                   "props": rel_props, "extracted_type": rel_props["extracted_type"],
                                                   "extracted_label": own if own in evidence_labels else label})
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
            rel_type = edge["extracted_type"]  # a MENTIONS forced by an earlier label, typed again
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
        folded: set[Node] = set()
        for node in sorted(group, key=lambda n: (n[0] != label, _rank(n, entities[n]), n)):
            for prop, value in props.get(node, {}).items():
                merged.setdefault(prop, value)
            aliases.update(a for a in props.get(node, {}).get("aliases") or [] if a)
            folded.update([node, *(_node(text) for text in props.get(node, {}).get("merged_from") or [])])
        merged.update({"key": key, "name": name, "name_rank": rank, "aliases": sorted(aliases),
                       "merged_from": sorted(f"{lab}:{k}" for lab, k in folded - {(label, key)})})
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
