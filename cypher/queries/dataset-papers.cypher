// Which papers introduce datasets or benchmarks?
// Parameters: none
// Returns: dataset, paper, title, evidence
// Example: kg query dataset-papers
MATCH (p:Paper)-[r:INTRODUCES]->(d:Dataset)
RETURN d.name AS dataset, p.key AS paper, p.title AS title, r.evidence AS evidence
ORDER BY dataset, paper
