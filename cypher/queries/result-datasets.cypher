// Which datasets have leaderboards (scores with a method or the paper's own method), under which metrics?
// Parameters: none
// Returns: dataset, metric, direction, results, methods
// Example: kg query result-datasets
MATCH (r:Result)-[:ON]->(d:Dataset)
MATCH (r)-[:MEASURED_BY]->(mt:Metric)
WHERE coalesce(r.kind, 'score') = 'score'
OPTIONAL MATCH (m:Method)-[:ACHIEVES]->(r)
WITH d, mt, r, coalesce(m.name, CASE WHEN r.own THEN r.paper ELSE NULL END) AS entry
WHERE entry IS NOT NULL
RETURN d.name AS dataset, mt.name AS metric, coalesce(mt.direction, 'higher') AS direction,
       count(DISTINCT r) AS results, count(DISTINCT entry) AS methods
ORDER BY results DESC, dataset, metric
