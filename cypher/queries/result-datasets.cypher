// Which datasets have reported results (leaderboards), and under which metrics?
// Parameters: none
// Returns: dataset, metric, direction, results, methods
// Example: kg query result-datasets
MATCH (r:Result)-[:ON]->(d:Dataset)
MATCH (r)-[:MEASURED_BY]->(mt:Metric)
WHERE coalesce(r.kind, 'score') = 'score'
OPTIONAL MATCH (m:Method)-[:ACHIEVES]->(r)
RETURN d.name AS dataset, mt.name AS metric, coalesce(mt.direction, 'higher') AS direction,
       count(DISTINCT r) AS results, count(DISTINCT m) AS methods
ORDER BY results DESC, dataset, metric
