// The nodes papers' relationships reach, directly or through their results:
// the entities that may become orphans when the papers are cleared.
// Parameters: $ids (list of paper ids).
UNWIND $ids AS id
MATCH (p:Paper {key: id})-[]->(n)
OPTIONAL MATCH (n:Result)-[]-(m)
WHERE m <> p
WITH collect(DISTINCT n) + collect(DISTINCT m) AS reached
UNWIND reached AS x
RETURN DISTINCT labels(x)[0] AS label, x.key AS key
