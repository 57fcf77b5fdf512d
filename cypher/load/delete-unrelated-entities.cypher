// Delete the entities of one label that no relationship refers to. The loader
// writes no such entity (kg/loader.py _related_entities), but graphs written
// before graph format 3 hold entities mentioned in passing; BoltStore.load runs
// this once at its end when it updated papers (a format change updates them
// all). Template: {label}.
MATCH (n:{label})
WHERE NOT (n)--()
DELETE n
