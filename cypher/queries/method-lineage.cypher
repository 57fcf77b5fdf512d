// What did a method build on, and what was built on it? Lineage only: a method
// BUILDS_ON another when its paper says it is based on, extends, fine-tunes or
// is a variant of it (docs/relations.md). Models a technique is applied to
// (APPLIED_TO) and baselines it beats (method-comparisons) are not lineage.
// A paper that names no method of its own links from the paper: those rows
// name the paper's short title as the builder.
// Parameters: method (name or alias, case-insensitive)
// Returns: method, relation, other, paper, evidence
// Example: kg query method-lineage -p method=LAMAR
MATCH (m:Method)
WHERE toLower(m.name) = toLower($method)
   OR any(alias IN coalesce(m.aliases, []) WHERE toLower(alias) = toLower($method))
CALL {
  WITH m
  MATCH (m)-[b:BUILDS_ON]->(base:Method)
  RETURN 'BUILDS_ON' AS relation, base.name AS other, b.paper AS paper, b.evidence AS evidence
  UNION
  WITH m
  MATCH (child:Method)-[b:BUILDS_ON]->(m)
  RETURN 'BUILT_ON_BY' AS relation, child.name AS other, b.paper AS paper, b.evidence AS evidence
  UNION
  WITH m
  MATCH (p:Paper)-[b:BUILDS_ON]->(m)
  RETURN 'BUILT_ON_BY' AS relation, coalesce(p.short_title, p.title) AS other, b.paper AS paper, b.evidence AS evidence
}
RETURN m.name AS method, relation, other, paper, evidence
ORDER BY relation, other, paper
