// What do these papers report, dataset by dataset and metric by metric (a comparison table with
// papers as rows)? Every leaderboard value (kind 'score') each paper claims, with its method.
// Parameters: papers (a list of paper ids)
// Returns: paper, title, method, dataset, metric, direction, value, unit, setting, evidence
// Example: kg query paper-results -p papers='["t-6d44472714a96f8e"]'
UNWIND $papers AS wanted
MATCH (p:Paper {key: wanted})-[:HAS_RESULT]->(r:Result)-[:ON]->(d:Dataset)
WHERE coalesce(r.kind, 'score') = 'score'
MATCH (r)-[:MEASURED_BY]->(mt:Metric)
OPTIONAL MATCH (m:Method)-[:ACHIEVES]->(r)
RETURN DISTINCT p.key AS paper, coalesce(p.short_title, p.title, p.key) AS title, m.name AS method,
       d.name AS dataset, mt.name AS metric, coalesce(mt.direction, r.direction, 'higher') AS direction,
       r.value AS value, r.unit AS unit, r.setting AS setting, r.evidence AS evidence
ORDER BY paper, dataset, metric, value DESC
