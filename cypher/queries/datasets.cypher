// Which datasets does the graph know, and how many methods report on each?
// Parameters: none
// Returns: dataset, methods, papers
// Example: kg query datasets
MATCH (d:Dataset)
OPTIONAL MATCH (m:Method)-[r:REPORTS_ON]->(d)
OPTIONAL MATCH (p:Paper)-[:EVALUATES_ON]->(d)
RETURN d.name AS dataset, count(DISTINCT m) AS methods, count(DISTINCT p) AS papers
ORDER BY methods DESC, papers DESC, dataset
