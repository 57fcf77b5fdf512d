// Everything the graph says about one dataset: papers evaluating on it or mentioning it, methods reporting on it, results.
// A family ("SQuAD") includes its variants ("SQuAD 2.0"), each row naming its variant in `dataset`.
// Parameters: dataset (name, alias or family, case-insensitive), limit (optional: most rows per relation, newest papers first, default 100)
// Returns: dataset, relation, other, label, paper, evidence
// Example: kg query dataset-profile -p dataset=VERITE
// One branch per relation type that ends at a Dataset in kg/schema.py (a test keeps
// them in step): each is ordered by the year stored on its relationships and cut
// before its other ends are read (startNode, after the cut), so a benchmark with
// thousands of papers costs a scan of its relationships and no more.
MATCH (f:Dataset)
WHERE toLower(f.name) = toLower($dataset)
   OR any(alias IN coalesce(f.aliases, []) WHERE toLower(alias) = toLower($dataset))
MATCH (d:Dataset)-[:VARIANT_OF*0..3]->(f)
WITH DISTINCT d
CALL {
  WITH d MATCH ()-[r:EVALUATES_ON]->(d)
  RETURN r ORDER BY coalesce(r.year, 0) DESC, r.paper LIMIT coalesce($limit, 100)
  UNION ALL
  WITH d MATCH ()-[r:INTRODUCES]->(d)
  RETURN r ORDER BY coalesce(r.year, 0) DESC, r.paper LIMIT coalesce($limit, 100)
  UNION ALL
  WITH d MATCH ()-[r:REPORTS_ON]->(d)
  RETURN r ORDER BY coalesce(r.year, 0) DESC, r.paper LIMIT coalesce($limit, 100)
  UNION ALL
  WITH d MATCH ()-[r:ON]->(d)
  RETURN r ORDER BY coalesce(r.year, 0) DESC, r.paper LIMIT coalesce($limit, 100)
  UNION ALL
  WITH d MATCH ()-[r:MENTIONS]->(d)
  RETURN r ORDER BY coalesce(r.year, 0) DESC, r.paper LIMIT coalesce($limit, 100)
  UNION ALL
  WITH d MATCH ()-[r:VARIANT_OF]->(d)
  RETURN r ORDER BY coalesce(r.year, 0) DESC, r.paper LIMIT coalesce($limit, 100)
}
WITH d, r, startNode(r) AS other
RETURN d.name AS dataset, type(r) AS relation, coalesce(other.title, other.name) AS other,
       labels(other)[0] AS label, r.paper AS paper, r.evidence AS evidence
ORDER BY relation, other, paper
