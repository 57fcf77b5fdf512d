// Upsert papers. Parameters: $rows [{key, props}].
UNWIND $rows AS row
MERGE (p:Paper {key: row.key})
SET p += row.props
