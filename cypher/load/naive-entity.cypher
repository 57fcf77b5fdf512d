// Benchmark baseline only (bench/naive.py): one entity per statement, the
// same upsert as entities.cypher. Template: {label}.
// Parameters: $key, $name, $name_rank, $aliases, $props.
MERGE (n:{label} {key: $key})
ON CREATE SET n.name = $name, n.name_rank = $name_rank
SET n += $props,
    n.aliases = reduce(acc = coalesce(n.aliases, []), a IN $aliases |
                       CASE WHEN a IN acc THEN acc ELSE acc + a END)
WITH n, $name_rank < coalesce(n.name_rank, '~') AS better
SET n.name = CASE WHEN better THEN $name ELSE n.name END,
    n.name_rank = CASE WHEN better THEN $name_rank ELSE n.name_rank END
