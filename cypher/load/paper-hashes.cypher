// Content hashes of the papers already stored, for skipping unchanged ones.
// Parameters: $ids (list of paper ids).
UNWIND $ids AS id
MATCH (p:Paper {key: id})
RETURN p.key AS id, p.hash AS hash
