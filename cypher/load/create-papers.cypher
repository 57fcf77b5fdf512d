// Create papers the graph does not hold yet (the loader has just checked, in
// the same transaction); cheaper than MERGE. Parameters: $rows [{key, props}].
UNWIND $rows AS row
CREATE (p:Paper {key: row.key})
SET p += row.props
