// Whom does a method beat, who beats it, and which papers compare with it?
// Parameters: method (name or alias, case-insensitive)
// Returns: method, relation, other, paper, evidence
// Example: kg query method-comparisons -p method=BERT
MATCH (m:Method)
WHERE toLower(m.name) = toLower($method)
   OR any(alias IN coalesce(m.aliases, []) WHERE toLower(alias) = toLower($method))
CALL {
  WITH m
  MATCH (m)-[o:OUTPERFORMS]->(weaker:Method)
  RETURN 'OUTPERFORMS' AS relation, weaker.name AS other, o.paper AS paper, o.evidence AS evidence
  UNION
  WITH m
  MATCH (stronger:Method)-[o:OUTPERFORMS]->(m)
  RETURN 'OUTPERFORMED_BY' AS relation, stronger.name AS other, o.paper AS paper, o.evidence AS evidence
  UNION
  WITH m
  MATCH (p:Paper)-[c:COMPARES_WITH]->(m)
  RETURN 'COMPARED_WITH_BY' AS relation, coalesce(p.short_title, p.title) AS other, c.paper AS paper, c.evidence AS evidence
}
RETURN m.name AS method, relation, other, paper, evidence
ORDER BY relation, other, paper
