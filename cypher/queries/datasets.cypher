// Which datasets does the graph know, and how many methods report on each?
// Parameters: none
// Returns: dataset, methods, papers
// Example: kg query datasets
MATCH (d:Dataset)
OPTIONAL MATCH (m:Method)-[:REPORTS_ON]->(d)
WITH d, count(DISTINCT m) AS methods
OPTIONAL MATCH (p:Paper)-[:EVALUATES_ON]->(d)
WITH d, methods, count(DISTINCT p) AS papers
RETURN d.name AS dataset, methods, papers
ORDER BY methods DESC, papers DESC, dataset
