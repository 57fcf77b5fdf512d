// What does the graph say about one paper: what it introduces, uses, evaluates on, addresses, reports?
// Parameters: paper (paper id)
// Returns: paper, title, relation, target, label, evidence
// Example: kg query paper -p paper=2310.01234
MATCH (p:Paper {key: $paper})-[r]->(x)
RETURN p.key AS paper, p.title AS title, type(r) AS relation, x.name AS target,
       labels(x)[0] AS label, r.evidence AS evidence
ORDER BY relation, target
