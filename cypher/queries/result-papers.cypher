// Which papers report leaderboard values, and how many? Newest first (papers without a year last).
// Parameters: limit (optional: most rows, default 1000)
// Returns: paper, title, year, results
// Example: kg query result-papers -p limit=10
MATCH (p:Paper)-[:HAS_RESULT]->(r:Result)
WHERE coalesce(r.kind, 'score') = 'score'
WITH p, count(r) AS results
RETURN p.key AS paper, coalesce(p.short_title, p.title, p.key) AS title, p.year AS year, results
ORDER BY coalesce(year, 0) DESC, paper
LIMIT coalesce($limit, 1000)
