// Benchmark only (bench/run.py): realistic parameters for the named queries,
// taken from the graph itself: the most evaluated dataset, the method most
// often reported on it, its most used metric, and one paper evaluating on it.
// Parameters: none.
MATCH (p:Paper)-[:EVALUATES_ON]->(d:Dataset)
WITH d, count(p) AS papers
ORDER BY papers DESC, d.key
LIMIT 1
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
RETURN d.name AS dataset, d.key AS dataset_key, m.name AS method, m.key AS method_key,
       mt.name AS metric, min(p.key) AS paper
