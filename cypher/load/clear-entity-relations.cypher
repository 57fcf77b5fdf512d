// Remove the relationships of one entity-to-entity type (REPORTS_ON,
// OUTPERFORMS) that papers contributed, and return their endpoints (which
// may now be orphans). Template: {type}, {source}, {target} from the schema.
// Parameters: $ids (list of paper ids).
MATCH (a:{source})-[r:{type}]->(b:{target})
WHERE r.paper IN $ids
DELETE r
RETURN a.key AS source, b.key AS target
