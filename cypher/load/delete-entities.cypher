// Delete some entities of one label with their relationships: consolidation
// (kg/consolidate.py) has read them and writes them again on the one node they
// become. Template: {label}. Parameters: $keys.
UNWIND $keys AS key
MATCH (n:{label} {key: key})
DETACH DELETE n
