// Which datasets are evaluated on by the most papers?
// Parameters: limit (optional: most rows, default 20)
// Returns: dataset, papers, methods
// Example: kg query most-evaluated-datasets -p limit=10
MATCH (d:Dataset)<-[:EVALUATES_ON]-(p:Paper)
WITH d, count(DISTINCT p) AS papers
OPTIONAL MATCH (m:Method)-[:REPORTS_ON]->(d)
RETURN d.name AS dataset, papers, count(DISTINCT m) AS methods
ORDER BY papers DESC, methods DESC, dataset
LIMIT coalesce($limit, 20)
