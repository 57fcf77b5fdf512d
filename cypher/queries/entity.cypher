// What is one method, dataset, task or metric: its names, and which papers mention it (and how)?
// Parameters: label (Method, Dataset, Task or Metric), name (name, alias or key, case-insensitive)
// Returns: label, key, name, aliases, direction, paper, title, year, url, relations
// Example: kg query entity -p label=Dataset -p name=coco
MATCH (n)
WHERE $label IN labels(n)
  AND (n.key = $name OR toLower(n.name) = toLower($name)
       OR any(alias IN coalesce(n.aliases, []) WHERE toLower(alias) = toLower($name)))
WITH n LIMIT 1
OPTIONAL MATCH (n)-[r]-()
WITH n, r.paper AS pid, collect(DISTINCT type(r)) AS relations
OPTIONAL MATCH (p:Paper {key: pid})
RETURN labels(n)[0] AS label, n.key AS key, n.name AS name, n.aliases AS aliases,
       n.direction AS direction, pid AS paper, p.title AS title, p.year AS year, p.url AS url,
       relations
ORDER BY coalesce(year, 0) DESC, paper
