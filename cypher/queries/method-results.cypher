// What do these methods score, dataset by dataset and metric by metric (for a comparison table)?
// Every leaderboard value (kind 'score') a method achieves, with its evidence.
// Parameters: methods (a list of names or aliases, case-insensitive)
// Returns: method, dataset, metric, direction, value, unit, setting, paper, evidence
// Example: kg query method-results -p methods='["OV-DINO","LAMAR"]'
UNWIND $methods AS wanted
MATCH (m:Method)
WHERE toLower(m.name) = toLower(wanted)
   OR any(alias IN coalesce(m.aliases, []) WHERE toLower(alias) = toLower(wanted))
MATCH (m)-[:ACHIEVES]->(r:Result)-[:ON]->(d:Dataset)
WHERE coalesce(r.kind, 'score') = 'score'
MATCH (r)-[:MEASURED_BY]->(mt:Metric)
RETURN DISTINCT m.name AS method, d.name AS dataset, mt.name AS metric,
       coalesce(mt.direction, r.direction, 'higher') AS direction, r.value AS value, r.unit AS unit,
       r.setting AS setting, r.paper AS paper, r.evidence AS evidence
ORDER BY method, dataset, metric, value DESC, paper
