// Which label does each of these node keys belong to (to draw console results as a graph)?
// Parameters: keys (list of node keys)
// Returns: key, label, name
// Example: kg query node-labels -p keys=coco
MATCH (n)
WHERE n.key IN $keys
RETURN n.key AS key, labels(n)[0] AS label, coalesce(n.name, n.title, n.key) AS name
ORDER BY key, label
