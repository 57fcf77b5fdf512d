// Benchmark baseline only (bench/naive.py): one entity per statement, the
// same upsert as entities.cypher. Template: {label}.
// Parameters: $key, $name, $aliases, $props.
MERGE (n:{label} {key: $key})
ON CREATE SET n.name = $name
SET n += $props,
    n.aliases = reduce(acc = coalesce(n.aliases, []), a IN $aliases |
                       CASE WHEN a IN acc THEN acc ELSE acc + a END)
