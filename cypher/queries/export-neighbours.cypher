// Which nodes are joined to the given nodes by a relationship, either way?
// One step of exporting the neighbourhood of an entity.
// Parameters: ids (list of node ids 'Label:key')
// Returns: ids (one row with a list: a popular benchmark has thousands of neighbours)
// (One list travels over Bolt far faster than a record per id.)
// Example: kg export --format json -o coco.json --around Dataset:COCO --hops 2
// (The given nodes are found by their unique key, one branch per label of the schema.)
CALL {
  UNWIND coalesce($ids, []) AS id WITH id WHERE id STARTS WITH 'Paper:'
  MATCH (n:Paper {key: substring(id, 6)}) RETURN n
  UNION ALL
  UNWIND coalesce($ids, []) AS id WITH id WHERE id STARTS WITH 'Method:'
  MATCH (n:Method {key: substring(id, 7)}) RETURN n
  UNION ALL
  UNWIND coalesce($ids, []) AS id WITH id WHERE id STARTS WITH 'Dataset:'
  MATCH (n:Dataset {key: substring(id, 8)}) RETURN n
  UNION ALL
  UNWIND coalesce($ids, []) AS id WITH id WHERE id STARTS WITH 'Task:'
  MATCH (n:Task {key: substring(id, 5)}) RETURN n
  UNION ALL
  UNWIND coalesce($ids, []) AS id WITH id WHERE id STARTS WITH 'Metric:'
  MATCH (n:Metric {key: substring(id, 7)}) RETURN n
  UNION ALL
  UNWIND coalesce($ids, []) AS id WITH id WHERE id STARTS WITH 'Result:'
  MATCH (n:Result {key: substring(id, 7)}) RETURN n
  UNION ALL
  UNWIND coalesce($ids, []) AS id WITH id WHERE id STARTS WITH 'Code:'
  MATCH (n:Code {key: substring(id, 5)}) RETURN n
}
MATCH (n)--(m)
WITH DISTINCT labels(m)[0] + ':' + m.key AS id
WHERE id IS NOT NULL
RETURN collect(id) AS ids
