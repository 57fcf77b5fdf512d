// What is one method, dataset, task or metric: its names, and which papers mention it (and how)?
// Parameters: label (Method, Dataset, Task or Metric), name (name, alias or key, case-insensitive), limit (optional: most papers, newest first, default 200)
// Returns: label, key, name, aliases, direction, paper, title, year, url, relations
// Example: kg query entity -p label=Dataset -p name=coco
// Slot {label}: the label is written into the query text (Cypher cannot take a
// label as a parameter), so that only that label's nodes are read; BoltStore.run_named
// fills it from the label parameter and accepts node labels of kg/schema.py only.
MATCH (n:{label})
WHERE n.key = $name OR toLower(n.name) = toLower($name)
   OR any(alias IN coalesce(n.aliases, []) WHERE toLower(alias) = toLower($name))
WITH n LIMIT 1
OPTIONAL MATCH (n)-[r]-()
WITH n, r.paper AS pid, collect(DISTINCT type(r)) AS relations
OPTIONAL MATCH (p:Paper {key: pid})
WITH n, pid, relations, p
ORDER BY coalesce(p.year, 0) DESC, pid
LIMIT coalesce($limit, 200)
RETURN labels(n)[0] AS label, n.key AS key, n.name AS name, n.aliases AS aliases,
       n.direction AS direction, pid AS paper, p.title AS title, p.year AS year, p.url AS url,
       relations
ORDER BY coalesce(year, 0) DESC, paper
