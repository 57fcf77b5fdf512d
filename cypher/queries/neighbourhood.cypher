// How is one entity (or paper) related to others, with the evidence for each relation?
// One row per relationship touching the node, outgoing and incoming.
// Parameters: label (a node label), name (name, alias or key, case-insensitive), limit (optional: most rows, default 300)
// Returns: label, key, name, direction, relation, other_label, other_key, other, paper, title, evidence, field, start, end, confidence
// Example: kg query neighbourhood -p label=Method -p name=MDETR
// Slot {label}: the label is written into the query text (Cypher cannot take a
// label as a parameter), so that only that label's nodes are read; BoltStore.run_named
// fills it from the label parameter and accepts node labels of kg/schema.py only.
MATCH (n:{label})
WHERE n.key = $name OR toLower(n.name) = toLower($name)
   OR any(alias IN coalesce(n.aliases, []) WHERE toLower(alias) = toLower($name))
WITH n LIMIT 1
CALL {
  WITH n
  MATCH (n)-[r]->(m)
  RETURN 'out' AS direction, r, m
  UNION ALL
  WITH n
  MATCH (n)<-[r]-(m)
  RETURN 'in' AS direction, r, m
}
WITH n, direction, r, m
LIMIT coalesce($limit, 300)
OPTIONAL MATCH (p:Paper {key: r.paper})
RETURN labels(n)[0] AS label, n.key AS key, coalesce(n.name, n.title) AS name, direction,
       type(r) AS relation, labels(m)[0] AS other_label, m.key AS other_key,
       coalesce(m.name, m.title, m.key) AS other, r.paper AS paper, p.title AS title,
       r.evidence AS evidence, r.field AS field, r.start AS start, r.end AS end,
       r.confidence AS confidence
ORDER BY relation, direction, other, paper
