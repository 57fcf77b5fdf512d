// Benchmark only (bench/run.py): realistic parameters for the named queries,
// taken from the graph itself: a dataset (the most evaluated one, or with
// $median the one in the middle of the ranking by papers), the method most
// often reported on it, its most used metric, one paper evaluating on it and a
// task such papers address.
// Parameters: median (boolean).
MATCH (p:Paper)-[:EVALUATES_ON]->(d:Dataset)
WITH d, count(p) AS papers
ORDER BY papers DESC, d.key
WITH collect(d) AS ranked
WITH ranked[CASE WHEN $median THEN size(ranked) / 2 ELSE 0 END] AS d
OPTIONAL MATCH (m:Method)-[:REPORTS_ON]->(d)
WITH d, m, count(m) AS reports
ORDER BY reports DESC, m.key
LIMIT 1
OPTIONAL MATCH (r:Result)-[:ON]->(d)
OPTIONAL MATCH (r)-[:MEASURED_BY]->(mt:Metric)
WITH d, m, mt, count(r) AS results
ORDER BY results DESC, mt.key
LIMIT 1
MATCH (p:Paper)-[:EVALUATES_ON]->(d)
OPTIONAL MATCH (p)-[:ADDRESSES]->(t:Task)
RETURN d.name AS dataset, d.key AS dataset_key, m.name AS method, m.key AS method_key,
       mt.name AS metric, min(p.key) AS paper, min(t.name) AS task
