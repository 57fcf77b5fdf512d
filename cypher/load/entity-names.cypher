// Every entity of one label with the names it was given, for consolidation
// (kg/consolidate.py). Template: {label}. Parameters: none.
MATCH (n:{label})
RETURN n.key AS key, n.name AS name, n.name_rank AS name_rank, n.aliases AS aliases,
       n.merged_from AS merged_from
