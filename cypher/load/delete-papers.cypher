// Delete paper nodes (after clear-paper). Parameters: $ids.
UNWIND $ids AS id
MATCH (p:Paper {key: id})
DETACH DELETE p
