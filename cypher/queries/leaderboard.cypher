// Leaderboard: who claims the best value on a dataset? One row per method, metric, setting and
// dataset variant (a family name such as "COCO" also lists "COCO test-dev", each row naming its
// variant, linked by VARIANT_OF), best first by the metric's direction; every claim behind a row
// is in `claims`.
// A paper's own unnamed method is shown by the paper's short title; values of unnamed baselines
// are left out (no row without a method or paper name).
// Parameters: dataset (name, alias or family, case-insensitive), metric (optional: name or alias), limit (optional: most rows per metric, default 50)
// Returns: metric, direction, method, own, value, unit, setting, variant, paper, title, year, evidence, claims
// Example: kg query leaderboard -p dataset=COCO -p metric=AP
MATCH (f:Dataset)
WHERE toLower(f.name) = toLower($dataset)
   OR any(alias IN coalesce(f.aliases, []) WHERE toLower(alias) = toLower($dataset))
MATCH (d:Dataset)-[:VARIANT_OF*0..3]->(f)
WITH DISTINCT d
MATCH (r:Result)-[:ON]->(d)
WHERE coalesce(r.kind, 'score') = 'score'
MATCH (r)-[:MEASURED_BY]->(mt:Metric)
WHERE $metric IS NULL OR toLower(mt.name) = toLower($metric)
   OR any(alias IN coalesce(mt.aliases, []) WHERE toLower(alias) = toLower($metric))
OPTIONAL MATCH (m:Method)-[:ACHIEVES]->(r)
OPTIONAL MATCH (p:Paper {key: r.paper})
WITH d, mt, r, p, coalesce(mt.direction, r.direction, 'higher') AS direction,
     coalesce(m.name, CASE WHEN r.own THEN coalesce(p.short_title, p.title) ELSE NULL END) AS method
WHERE method IS NOT NULL
WITH mt.name AS metric, direction, method, coalesce(r.setting, '') AS setting, d.name AS variant, r, p
ORDER BY metric, method, setting, variant,
         CASE WHEN direction = 'lower' THEN r.value ELSE -r.value END, r.paper
WITH metric, direction, method, setting, variant,
     collect({value: r.value, unit: r.unit, paper: r.paper, title: p.title, year: p.year,
              own: r.own, evidence: r.evidence}) AS claims
WITH metric, direction, method, setting, variant, claims, claims[0] AS best
ORDER BY metric, CASE WHEN direction = 'lower' THEN best.value ELSE -best.value END, method, variant
WITH metric, direction, collect({method: method, setting: setting, variant: variant, best: best,
                                 claims: claims})[..coalesce($limit, 50)] AS rows
UNWIND rows AS row
RETURN metric, direction, row.method AS method, row.best.own AS own, row.best.value AS value,
       row.best.unit AS unit, CASE WHEN row.setting = '' THEN NULL ELSE row.setting END AS setting,
       row.variant AS variant, row.best.paper AS paper, row.best.title AS title, row.best.year AS year,
       row.best.evidence AS evidence, row.claims AS claims
ORDER BY metric, CASE WHEN direction = 'lower' THEN value ELSE -value END, method, variant
