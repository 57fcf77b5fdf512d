// Every stored entity of one label with its aliases, for entity resolution
// at load time. Template: {label}.
MATCH (n:{label})
RETURN n.key AS key, n.name AS name, n.aliases AS aliases
