// Everything the graph says about one dataset: papers evaluating on it, methods reporting on it, results.
// Parameters: dataset (name or alias, case-insensitive), limit (optional: most rows, default 300)
// Returns: dataset, relation, other, label, paper, evidence
// Example: kg query dataset-profile -p dataset=VERITE
MATCH (d:Dataset)
WHERE toLower(d.name) = toLower($dataset)
   OR any(alias IN coalesce(d.aliases, []) WHERE toLower(alias) = toLower($dataset))
MATCH (other)-[r]->(d)
WITH d, r, type(r) AS relation, coalesce(other.title, other.name) AS name, other
ORDER BY relation, name, r.paper
LIMIT coalesce($limit, 300)
RETURN d.name AS dataset, relation, name AS other,
       labels(other)[0] AS label, r.paper AS paper, r.evidence AS evidence
ORDER BY relation, other, paper
