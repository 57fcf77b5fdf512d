// Leaderboard: which methods report the best values on a dataset?
// Methods ranked by value per metric, best first (lower-is-better metrics such
// as perplexity or WER ascending, the rest descending), with setting and evidence.
// Parameters: dataset (name or alias, case-insensitive), metric (optional: name or alias), limit (optional: most rows per metric, default 50)
// Returns: metric, method, value, unit, setting, direction, paper, title, evidence
// Example: kg query leaderboard -p dataset=COCO -p metric=AP
MATCH (d:Dataset)
WHERE toLower(d.name) = toLower($dataset)
   OR any(alias IN coalesce(d.aliases, []) WHERE toLower(alias) = toLower($dataset))
MATCH (r:Result)-[:ON]->(d)
MATCH (r)-[:MEASURED_BY]->(mt:Metric)
WHERE ($metric IS NULL OR toLower(mt.name) = toLower($metric)
       OR any(alias IN coalesce(mt.aliases, []) WHERE toLower(alias) = toLower($metric)))
  AND coalesce(r.kind, 'score') = 'score'
OPTIONAL MATCH (m:Method)-[:ACHIEVES]->(r)
WITH mt.name AS metric, coalesce(mt.direction, 'higher') AS direction, r, m.name AS method
ORDER BY metric, CASE WHEN direction = 'lower' THEN r.value ELSE -r.value END, method, r.paper
WITH metric, direction, collect({r: r, method: method})[..coalesce($limit, 50)] AS best
UNWIND best AS row
WITH metric, direction, row.r AS r, row.method AS method
OPTIONAL MATCH (p:Paper {key: r.paper})
RETURN metric, method, r.value AS value, r.unit AS unit,
       r.setting AS setting, direction, r.paper AS paper, p.title AS title,
       r.evidence AS evidence
ORDER BY metric, CASE WHEN direction = 'lower' THEN r.value ELSE -r.value END, method, paper
