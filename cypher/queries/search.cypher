// Find methods, datasets, tasks and metrics by name or alias (case-insensitive substring).
// Parameters: q (text to find), limit (optional: most rows, default 25)
// Returns: label, key, name, aliases, exact
// Example: kg query search -p q=coco
CALL {
  MATCH (n:Method) RETURN n
  UNION ALL
  MATCH (n:Dataset) RETURN n
  UNION ALL
  MATCH (n:Task) RETURN n
  UNION ALL
  MATCH (n:Metric) RETURN n
}
WITH n
WHERE toLower(n.name) CONTAINS toLower($q)
   OR any(alias IN coalesce(n.aliases, []) WHERE toLower(alias) CONTAINS toLower($q))
WITH n, (toLower(n.name) = toLower($q)
         OR any(alias IN coalesce(n.aliases, []) WHERE toLower(alias) = toLower($q))) AS exact
RETURN labels(n)[0] AS label, n.key AS key, n.name AS name, n.aliases AS aliases, exact
ORDER BY exact DESC, size(name), name
LIMIT coalesce($limit, 25)
