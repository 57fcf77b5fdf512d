// Create relationships of one type between two labels, one per paper, with
// provenance. CREATE, not MERGE: a relationship belongs to one paper, and the
// loader only writes a paper that is new or whose old relationships it has
// just removed (clear-paper), with rows de-duplicated per batch, so no copy
// can exist. (MERGE would scan the edges of popular nodes for every row.)
// Template: {type}, {source}, {target} come from the schema.
// Parameters: $rows [{source, target, paper, props}].
UNWIND $rows AS row
MATCH (a:{source} {key: row.source})
MATCH (b:{target} {key: row.target})
CREATE (a)-[r:{type} {paper: row.paper}]->(b)
SET r += row.props
