// Create entities of one label with all their properties (the key among them):
// the nodes consolidation (kg/consolidate.py) merged others into.
// Template: {label}. Parameters: $rows [{props}].
UNWIND $rows AS row
CREATE (n:{label})
SET n = row.props
