// Delete the entities of one label that no relationship refers to. The loader
// writes no such entity (kg/loader.py _related_entities), but graphs written
// before graph format 3 hold entities mentioned in passing; load() runs this
// once after papers were reloaded. Template: {label}.
MATCH (n:{label})
WHERE NOT (n)--()
DELETE n
