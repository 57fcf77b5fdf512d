// Benchmark baseline only (bench/naive.py): one paper per statement.
// Parameters: $key, $props.
MERGE (p:Paper {key: $key})
SET p += $props
