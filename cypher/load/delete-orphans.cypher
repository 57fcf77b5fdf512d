// Delete the given entities of one label if no relationship refers to them
// any more (left by removed or changed papers). Template: {label}.
// Parameters: $keys (candidate keys: the entities those papers reached).
UNWIND $keys AS key
MATCH (n:{label} {key: key})
WHERE NOT (n)--()
DELETE n
