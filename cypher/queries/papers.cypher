// Which papers does the graph hold? (In store order, unsorted: the listing stops at the limit.)
// Parameters: limit (optional: most rows, default 20)
// Returns: paper, title, year, url
// Example: kg query papers -p limit=5
MATCH (p:Paper)
RETURN p.key AS paper, p.title AS title, p.year AS year, p.url AS url
LIMIT coalesce($limit, 20)
