// Which methods, datasets, tasks and metrics does the graph know (for type-ahead search)?
// Every entity once, with its aliases and how many papers mention it, most mentioned first.
// Parameters: none
// Returns: label, key, name, aliases, papers
// Example: kg query entity-index -f csv
CALL {
  MATCH (n:Method) RETURN n
  UNION ALL
  MATCH (n:Dataset) RETURN n
  UNION ALL
  MATCH (n:Task) RETURN n
  UNION ALL
  MATCH (n:Metric) RETURN n
}
OPTIONAL MATCH (n)-[r]-()
WITH n, count(DISTINCT r.paper) AS papers
RETURN labels(n)[0] AS label, n.key AS key, n.name AS name, n.aliases AS aliases, papers
ORDER BY papers DESC, name, label
