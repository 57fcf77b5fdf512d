// Which methods report on a dataset? A family ("SQuAD") lists its variants' rows too ("SQuAD 2.0"),
// each naming its variant in `dataset`.
// Parameters: dataset (name, alias or family, case-insensitive), limit (optional: most rows, default 300)
// Returns: method, dataset, paper, title, evidence
// Example: kg query methods-on-dataset -p dataset=newsclippings
MATCH (f:Dataset)
WHERE toLower(f.name) = toLower($dataset)
   OR any(alias IN coalesce(f.aliases, []) WHERE toLower(alias) = toLower($dataset))
MATCH (d:Dataset)-[:VARIANT_OF*0..3]->(f)
WITH DISTINCT d
MATCH (m:Method)-[r:REPORTS_ON]->(d)
WITH m.name AS method, d.name AS dataset, r
ORDER BY method, r.paper
LIMIT coalesce($limit, 300)
OPTIONAL MATCH (p:Paper {key: r.paper})
RETURN method, dataset, r.paper AS paper, p.title AS title, r.evidence AS evidence
ORDER BY method, paper
