// Every relationship with its endpoints' ids, type and properties, for
// exporting the graph (or only those with both ends among the given nodes).
// Parameters: ids (optional: list of node ids 'Label:key'; every relationship when omitted)
// Returns: source, target, type, properties
// Example: kg query export-relationships
MATCH (a)-[r]->(b)
WITH r, labels(a)[0] + ':' + a.key AS source, labels(b)[0] + ':' + b.key AS target
WHERE source IS NOT NULL AND target IS NOT NULL
  AND ($ids IS NULL OR (source IN $ids AND target IN $ids))
RETURN source, target, type(r) AS type, properties(r) AS properties
ORDER BY source, target, type, coalesce(r.paper, '')
