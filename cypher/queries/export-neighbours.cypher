// Which nodes are joined to the given nodes by a relationship, either way?
// One step of exporting the neighbourhood of an entity.
// Parameters: ids (list of node ids 'Label:key')
// Returns: id
// Example: kg export --format json -o coco.json --around Dataset:COCO --hops 2
WITH CASE WHEN $ids IS NULL THEN [] ELSE $ids END AS ids
MATCH (n)
WHERE labels(n)[0] + ':' + n.key IN ids
MATCH (n)--(m)
WITH DISTINCT labels(m)[0] + ':' + m.key AS id
WHERE id IS NOT NULL
RETURN id
ORDER BY id
