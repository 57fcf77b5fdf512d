// The properties of some entities of one label (kg/consolidate.py).
// Template: {label}. Parameters: $keys.
UNWIND $keys AS key
MATCH (n:{label} {key: key})
RETURN key, properties(n) AS props
