// Upsert entities of one label; aliases accumulate without duplicates. The
// display name is the best one given so far by its rank (kg.resolve.name_rank,
// a string that sorts best first), so it does not depend on the order papers
// arrive in. Template: {label} is a schema node label.
// Parameters: $rows [{key, name, name_rank, aliases, props}].
UNWIND $rows AS row
MERGE (n:{label} {key: row.key})
ON CREATE SET n.name = row.name, n.name_rank = row.name_rank
SET n += row.props,
    n.aliases = reduce(acc = coalesce(n.aliases, []), a IN row.aliases |
                       CASE WHEN a IN acc THEN acc ELSE acc + a END)
WITH n, row, row.name_rank < coalesce(n.name_rank, '~') AS better
SET n.name = CASE WHEN better THEN row.name ELSE n.name END,
    n.name_rank = CASE WHEN better THEN row.name_rank ELSE n.name_rank END
