// Which methods report on a dataset?
// Parameters: dataset (name or alias, case-insensitive)
// Returns: method, dataset, paper, title, evidence
// Example: kg query methods-on-dataset -p dataset=newsclippings
MATCH (d:Dataset)
WHERE toLower(d.name) = toLower($dataset)
   OR any(alias IN coalesce(d.aliases, []) WHERE toLower(alias) = toLower($dataset))
MATCH (m:Method)-[r:REPORTS_ON]->(d)
OPTIONAL MATCH (p:Paper {key: r.paper})
RETURN m.name AS method, d.name AS dataset, r.paper AS paper, p.title AS title,
       r.evidence AS evidence
ORDER BY method, paper
