// Which methods report on a dataset?
// Parameters: dataset (name or alias, case-insensitive), limit (optional: most rows, default 300)
// Returns: method, dataset, paper, title, evidence
// Example: kg query methods-on-dataset -p dataset=newsclippings
MATCH (d:Dataset)
WHERE toLower(d.name) = toLower($dataset)
   OR any(alias IN coalesce(d.aliases, []) WHERE toLower(alias) = toLower($dataset))
MATCH (m:Method)-[r:REPORTS_ON]->(d)
WITH m.name AS method, d.name AS dataset, r
ORDER BY method, r.paper
LIMIT coalesce($limit, 300)
OPTIONAL MATCH (p:Paper {key: r.paper})
RETURN method, dataset, r.paper AS paper, p.title AS title, r.evidence AS evidence
ORDER BY method, paper
