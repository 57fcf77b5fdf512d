// Which tasks is a dataset used for? The tasks addressed by the papers evaluated on it (or on a
// variant of it), by how many of those papers.
// Parameters: dataset (name, alias or family, case-insensitive)
// Returns: dataset, task, papers
// Example: kg query dataset-tasks -p dataset=COCO
MATCH (f:Dataset)
WHERE toLower(f.name) = toLower($dataset)
   OR any(alias IN coalesce(f.aliases, []) WHERE toLower(alias) = toLower($dataset))
WITH f LIMIT 1
MATCH (d:Dataset)-[:VARIANT_OF*0..3]->(f)
MATCH (p:Paper)-[:EVALUATES_ON|INTRODUCES]->(d)
MATCH (p)-[:ADDRESSES]->(t:Task)
RETURN f.name AS dataset, t.name AS task, count(DISTINCT p) AS papers
ORDER BY papers DESC, task
