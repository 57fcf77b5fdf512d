// Which methods, datasets, tasks and metrics does the graph know (for type-ahead search)?
// Every entity once, with its aliases and how many papers mention it, most mentioned first
// (the count the loader keeps on each entity, kg/schema.py PAPER_COUNT).
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
RETURN labels(n)[0] AS label, n.key AS key, n.name AS name, n.aliases AS aliases,
       coalesce(n.papers, 0) AS papers
ORDER BY papers DESC, name, label
