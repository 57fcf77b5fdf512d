// Every node with its label, key and properties, for exporting the graph
// (or only the nodes whose ids are given). A node's id is 'Label:key'.
// Parameters: ids (optional: list of node ids 'Label:key'; every node when omitted)
// Returns: id, label, key, properties
// Example: kg query export-nodes
MATCH (n)
WITH n, labels(n)[0] AS label
WITH n, label, label + ':' + n.key AS id
WHERE id IS NOT NULL AND ($ids IS NULL OR id IN $ids)
RETURN id, label, n.key AS key, properties(n) AS properties
ORDER BY id
