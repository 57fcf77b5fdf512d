// Benchmark baseline only (bench/naive.py): one relationship per statement,
// merged on (endpoints, type, paper) the way a first loader would write it.
// Template: {type}, {source}, {target}. Parameters: $source, $target, $paper, $props.
MATCH (a:{source} {key: $source})
MATCH (b:{target} {key: $target})
MERGE (a)-[r:{type} {paper: $paper}]->(b)
SET r += $props
