// Which label does each of these node keys belong to (to draw console results as a graph)?
// Parameters: keys (list of node keys)
// Returns: key, label, name
// Example: kg query node-labels -p keys=coco
// (One key lookup per label of the schema, on the unique key of each label.)
CALL {
  UNWIND $keys AS k WITH DISTINCT k MATCH (n:Paper {key: k}) RETURN n
  UNION ALL
  UNWIND $keys AS k WITH DISTINCT k MATCH (n:Method {key: k}) RETURN n
  UNION ALL
  UNWIND $keys AS k WITH DISTINCT k MATCH (n:Dataset {key: k}) RETURN n
  UNION ALL
  UNWIND $keys AS k WITH DISTINCT k MATCH (n:Task {key: k}) RETURN n
  UNION ALL
  UNWIND $keys AS k WITH DISTINCT k MATCH (n:Metric {key: k}) RETURN n
  UNION ALL
  UNWIND $keys AS k WITH DISTINCT k MATCH (n:Result {key: k}) RETURN n
  UNION ALL
  UNWIND $keys AS k WITH DISTINCT k MATCH (n:Code {key: k}) RETURN n
}
RETURN n.key AS key, labels(n)[0] AS label, coalesce(n.name, n.title, n.key) AS name
ORDER BY key, label
