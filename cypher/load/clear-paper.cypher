// Remove what a paper contributed (its edges and results) before it is
// reloaded or removed; entities it shared with other papers stay.
// Parameters: $ids (list of paper ids).
UNWIND $ids AS id
MATCH (p:Paper {key: id})
OPTIONAL MATCH (p)-[:HAS_RESULT]->(res:Result)
DETACH DELETE res
WITH DISTINCT id
MATCH (a)-[r]->(b)
WHERE r.paper = id
DELETE r
