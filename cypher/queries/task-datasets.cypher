// On which datasets are the papers addressing a task evaluated, and which have a leaderboard?
// Parameters: task (name or alias, case-insensitive)
// Returns: task, dataset, papers (of the task evaluated on it), results (leaderboard values on the dataset or its variants), metrics
// Example: kg query task-datasets -p task="Object Detection"
MATCH (t:Task)
WHERE toLower(t.name) = toLower($task)
   OR any(alias IN coalesce(t.aliases, []) WHERE toLower(alias) = toLower($task))
MATCH (t)<-[:ADDRESSES]-(p:Paper)-[:EVALUATES_ON]->(d:Dataset)
WITH t, d, count(DISTINCT p) AS papers
OPTIONAL MATCH (r:Result)-[:ON]->(:Dataset)-[:VARIANT_OF*0..3]->(d)
WHERE coalesce(r.kind, 'score') = 'score'
OPTIONAL MATCH (r)-[:MEASURED_BY]->(mt:Metric)
RETURN t.name AS task, d.name AS dataset, papers, count(DISTINCT r) AS results,
       collect(DISTINCT mt.name) AS metrics
ORDER BY results DESC, papers DESC, dataset
