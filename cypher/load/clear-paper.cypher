// Remove what papers contributed from the Paper side before they are reloaded
// or removed: their results (with the results' edges) and their own outgoing
// relationships. Entities stay; relationships between two entities are
// removed by clear-entity-relations. Index lookups only, never a scan.
// Parameters: $ids (list of paper ids).
UNWIND $ids AS id
MATCH (p:Paper {key: id})
OPTIONAL MATCH (p)-[:HAS_RESULT]->(res:Result)
DETACH DELETE res
WITH DISTINCT p
MATCH (p)-[r]->()
DELETE r
