// Which datasets are evaluated on by the most papers, and which have a leaderboard?
// Parameters: limit (optional: most rows, default 20)
// Returns: dataset, papers, methods, results (leaderboard values, kind 'score', on it or on one of its variants)
// Example: kg query most-evaluated-datasets -p limit=10
MATCH (d:Dataset)<-[:EVALUATES_ON]-(p:Paper)
WITH d, count(DISTINCT p) AS papers
OPTIONAL MATCH (m:Method)-[:REPORTS_ON]->(d)
WITH d, papers, count(DISTINCT m) AS methods
OPTIONAL MATCH (r:Result)-[:ON]->(:Dataset)-[:VARIANT_OF*0..3]->(d)
WHERE coalesce(r.kind, 'score') = 'score'
RETURN d.name AS dataset, papers, methods, count(DISTINCT r) AS results
ORDER BY papers DESC, methods DESC, dataset
LIMIT coalesce($limit, 20)
