// Which metrics are reported most often?
// Parameters: limit (optional: most rows, default 20)
// Returns: metric, results, papers, direction
// Example: kg query most-reported-metrics
MATCH (r:Result)-[:MEASURED_BY]->(mt:Metric)
RETURN mt.name AS metric, count(r) AS results, count(DISTINCT r.paper) AS papers,
       coalesce(mt.direction, 'higher') AS direction
ORDER BY results DESC, metric
LIMIT coalesce($limit, 20)
