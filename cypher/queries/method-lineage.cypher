// What did a method build on, and what does it outperform?
// "Builds on" is every named method used by a paper that introduces it.
// Parameters: method (name or alias, case-insensitive)
// Returns: method, relation, other, paper, evidence
// Example: kg query method-lineage -p method=LAMAR
MATCH (m:Method)
WHERE toLower(m.name) = toLower($method)
   OR any(alias IN coalesce(m.aliases, []) WHERE toLower(alias) = toLower($method))
CALL {
  WITH m
  MATCH (p:Paper)-[:INTRODUCES]->(m)
  MATCH (p)-[u:USES]->(base:Method)
  WHERE base <> m
  RETURN 'BUILDS_ON' AS relation, base.name AS other, u.paper AS paper, u.evidence AS evidence
  UNION
  WITH m
  MATCH (m)-[o:OUTPERFORMS]->(weaker:Method)
  RETURN 'OUTPERFORMS' AS relation, weaker.name AS other, o.paper AS paper, o.evidence AS evidence
  UNION
  WITH m
  MATCH (stronger:Method)-[o:OUTPERFORMS]->(m)
  RETURN 'OUTPERFORMED_BY' AS relation, stronger.name AS other, o.paper AS paper, o.evidence AS evidence
}
RETURN m.name AS method, relation, other, paper, evidence
ORDER BY relation, other, paper
