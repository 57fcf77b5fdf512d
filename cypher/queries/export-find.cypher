// Which nodes of a label go by a name (key, name, title or alias; case-insensitive)?
// Finds the centre of a neighbourhood export.
// Parameters: label (node label, e.g. Dataset), name (key, name, title or alias)
// Returns: id, label, key, name
// Example: kg query export-find -p label=Dataset -p name=COCO
// Slot {label}: the label is written into the query text (Cypher cannot take a
// label as a parameter), so that only that label's nodes are read; BoltStore.run_named
// fills it from the label parameter and accepts node labels of kg/schema.py only.
MATCH (n:{label})
WHERE n.key = $name
   OR toLower(n.name) = toLower($name)
   OR toLower(n.title) = toLower($name)
   OR any(alias IN coalesce(n.aliases, []) WHERE toLower(alias) = toLower($name))
RETURN $label + ':' + n.key AS id, $label AS label, n.key AS key, n.name AS name
ORDER BY id
