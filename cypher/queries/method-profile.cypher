// Where is a method evaluated, what tasks does it address, what does it report, what is it built on or applied to?
// A family ("Llama") includes its variants ("Llama 2 7B"), each row naming its variant in `method`.
// Parameters: method (name, alias or family, case-insensitive)
// Returns: method, relation, target, label, paper, evidence
// Example: kg query method-profile -p method=LAMAR
MATCH (f:Method)
WHERE toLower(f.name) = toLower($method)
   OR any(alias IN coalesce(f.aliases, []) WHERE toLower(alias) = toLower($method))
MATCH (m:Method)-[:VARIANT_OF*0..3]->(f)
WITH DISTINCT m
CALL {
  WITH m
  MATCH (m)-[r:REPORTS_ON]->(d:Dataset)
  RETURN 'REPORTS_ON' AS relation, d.name AS target, 'Dataset' AS label, r.paper AS paper, r.evidence AS evidence
  UNION
  WITH m
  MATCH (p:Paper)-[:INTRODUCES|USES]->(m)
  MATCH (p)-[r:ADDRESSES]->(t:Task)
  RETURN 'ADDRESSES' AS relation, t.name AS target, 'Task' AS label, r.paper AS paper, r.evidence AS evidence
  UNION
  WITH m
  MATCH (m)-[r:BUILDS_ON|APPLIED_TO]->(base:Method)
  RETURN type(r) AS relation, base.name AS target, 'Method' AS label, r.paper AS paper, r.evidence AS evidence
  UNION
  WITH m
  MATCH (m)-[:ACHIEVES]->(res:Result)
  RETURN 'ACHIEVES' AS relation, res.name AS target, 'Result' AS label, res.paper AS paper, res.evidence AS evidence
}
RETURN m.name AS method, relation, target, label, paper, evidence
ORDER BY relation, target, paper
