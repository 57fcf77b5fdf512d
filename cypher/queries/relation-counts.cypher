// How many relationships of each type does the graph hold?
// Parameters: none
// Returns: type, count
// Example: kg query relation-counts
MATCH ()-[r]->()
RETURN type(r) AS type, count(r) AS count
ORDER BY type
