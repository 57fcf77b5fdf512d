// Upsert entities of one label; aliases accumulate without duplicates and the
// first display name given wins. Template: {label} is a schema node label.
// Parameters: $rows [{key, name, aliases, props}].
UNWIND $rows AS row
MERGE (n:{label} {key: row.key})
ON CREATE SET n.name = row.name
SET n += row.props,
    n.aliases = reduce(acc = coalesce(n.aliases, []), a IN row.aliases |
                       CASE WHEN a IN acc THEN acc ELSE acc + a END)
