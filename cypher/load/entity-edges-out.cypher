// The relationships leaving some entities of one label, with what they reach
// (kg/consolidate.py). Template: {label}. Parameters: $keys.
UNWIND $keys AS key
MATCH (n:{label} {key: key})-[r]->(m)
RETURN key, type(r) AS type, labels(m)[0] AS other_label, m.key AS other, properties(r) AS props
