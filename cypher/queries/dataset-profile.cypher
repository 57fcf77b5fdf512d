// Everything the graph says about one dataset: papers evaluating on it, methods reporting on it, results.
// Parameters: dataset (name or alias, case-insensitive)
// Returns: dataset, relation, other, label, paper, evidence
// Example: kg query dataset-profile -p dataset=VERITE
MATCH (d:Dataset)
WHERE toLower(d.name) = toLower($dataset)
   OR any(alias IN coalesce(d.aliases, []) WHERE toLower(alias) = toLower($dataset))
MATCH (other)-[r]->(d)
RETURN d.name AS dataset, type(r) AS relation, coalesce(other.title, other.name) AS other,
       labels(other)[0] AS label, r.paper AS paper, r.evidence AS evidence
ORDER BY relation, other, paper
