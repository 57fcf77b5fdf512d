// Upsert relationships of one type between two labels, one per paper, with
// provenance. Template: {type}, {source}, {target} come from the schema.
// Parameters: $rows [{source, target, paper, props}].
UNWIND $rows AS row
MATCH (a:{source} {key: row.source})
MATCH (b:{target} {key: row.target})
MERGE (a)-[r:{type} {paper: row.paper}]->(b)
SET r += row.props
