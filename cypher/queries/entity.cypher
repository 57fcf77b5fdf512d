// What is one method, dataset, task or metric: its names, and which papers mention it (and how)?
// Parameters: label (Method, Dataset, Task or Metric), name (name, alias or key, case-insensitive), limit (optional: most papers, newest first, default 200)
// Returns: label, key, name, aliases, direction, papers (how many mention it), paper, title, year, url, relations
// Example: kg query entity -p label=Dataset -p name=coco
// Slot {label}: the label is written into the query text (Cypher cannot take a
// label as a parameter), so that only that label's nodes are read; BoltStore.run_named
// fills it from the label parameter and accepts node labels of kg/schema.py only.
// Papers are ordered by the year stored on the relationships (kg/schema.py PROVENANCE),
// so only the listed papers are looked up, however many mention the entity.
MATCH (n:{label})
WHERE n.key = $name OR toLower(n.name) = toLower($name)
   OR any(alias IN coalesce(n.aliases, []) WHERE toLower(alias) = toLower($name))
WITH n LIMIT 1
OPTIONAL MATCH (n)-[r]-()
WITH n, r.paper AS pid, max(r.year) AS newest, collect(DISTINCT type(r)) AS relations
ORDER BY coalesce(newest, 0) DESC, pid
LIMIT coalesce($limit, 200)
OPTIONAL MATCH (p:Paper {key: pid})
RETURN labels(n)[0] AS label, n.key AS key, n.name AS name, n.aliases AS aliases,
       n.direction AS direction, coalesce(n.papers, 0) AS papers, pid AS paper, p.title AS title,
       p.year AS year, p.url AS url, relations
ORDER BY coalesce(year, 0) DESC, paper
