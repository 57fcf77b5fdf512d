// Which papers are the newest (by year)? Papers without a year are left out.
// Parameters: limit (optional: most rows, default 20)
// Returns: paper, title, year, url
// Example: kg query newest-papers -p limit=5
// Written so that the store reads the Paper year index backwards (cypher/schema.cypher)
// instead of sorting every paper: one sort key, the IS NOT NULL filter, nothing between.
MATCH (p:Paper)
WHERE p.year IS NOT NULL
RETURN p.key AS paper, p.title AS title, p.year AS year, p.url AS url
ORDER BY year DESC
LIMIT coalesce($limit, 20)
