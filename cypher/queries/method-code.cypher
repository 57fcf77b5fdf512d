// Where is a method's code? The repositories linked from the papers introducing it (or a variant).
// Parameters: method (name, alias or family, case-insensitive)
// Returns: method, code, paper, title
// Example: kg query method-code -p method=MDETR
MATCH (f:Method)
WHERE toLower(f.name) = toLower($method)
   OR any(alias IN coalesce(f.aliases, []) WHERE toLower(alias) = toLower($method))
WITH f LIMIT 1
MATCH (m:Method)-[:VARIANT_OF*0..3]->(f)
MATCH (p:Paper)-[:INTRODUCES]->(m)
MATCH (p)-[:HAS_CODE]->(c:Code)
RETURN DISTINCT m.name AS method, coalesce(c.url, c.key) AS code, p.key AS paper, p.title AS title
ORDER BY method, code
