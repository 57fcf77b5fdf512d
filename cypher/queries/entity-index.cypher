// Which methods, datasets, tasks and metrics does the graph know (for type-ahead search)?
// Every entity once, with its aliases and how many papers mention it, most mentioned first.
// Parameters: none
// Returns: label, key, name, aliases, papers
// Example: kg query entity-index -f csv
MATCH (n)
WHERE n:Method OR n:Dataset OR n:Task OR n:Metric
OPTIONAL MATCH (n)-[r]-()
RETURN labels(n)[0] AS label, n.key AS key, n.name AS name, n.aliases AS aliases,
       count(DISTINCT r.paper) AS papers
ORDER BY papers DESC, name, label
