// How many nodes of each label does the graph hold?
// Parameters: none
// Returns: label, count
// Example: kg query node-counts
MATCH (n)
RETURN labels(n)[0] AS label, count(n) AS count
ORDER BY label
