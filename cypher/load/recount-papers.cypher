// Count again, from the relationships left, the papers mentioning entities
// that lost some (those a changed or removed paper reached). Template: {label}.
// Parameters: $keys.
UNWIND $keys AS key
MATCH (n:{label} {key: key})
OPTIONAL MATCH (n)-[r]-()
WITH n, count(DISTINCT r.paper) AS papers
SET n.papers = papers
