// Which papers were added most recently (newest year first, then latest loaded)?
// Parameters: limit (optional: most rows, default 20)
// Returns: paper, title, year, url
// Example: kg query newest-papers -p limit=5
MATCH (p:Paper)
RETURN p.key AS paper, p.title AS title, p.year AS year, p.url AS url
ORDER BY coalesce(p.year, 0) DESC, coalesce(p.loaded_at, 0) DESC, paper
LIMIT coalesce($limit, 20)
