// Delete entities no relationship refers to any more (left by removed or
// changed papers). Template: {label}.
MATCH (n:{label})
WHERE NOT (n)--()
DELETE n
