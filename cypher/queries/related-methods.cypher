// Which methods share benchmarks with a given method?
// Parameters: method (name or alias, case-insensitive), limit (optional: most rows, default 100)
// Returns: method, shared, datasets
// Example: kg query related-methods -p method=MDETR
MATCH (m:Method)
WHERE toLower(m.name) = toLower($method)
   OR any(alias IN coalesce(m.aliases, []) WHERE toLower(alias) = toLower($method))
MATCH (m)-[:REPORTS_ON]->(d:Dataset)
WITH DISTINCT m, d, d.name AS dataset
MATCH (d)<-[:REPORTS_ON]-(other:Method)
WHERE other <> m
WITH other, collect(DISTINCT dataset) AS datasets
RETURN other.name AS method, size(datasets) AS shared, datasets
ORDER BY shared DESC, method
LIMIT coalesce($limit, 100)
