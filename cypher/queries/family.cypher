// Which family does a method or dataset belong to, and what are its variants (versions, sizes,
// splits: "SQuAD 2.0" of SQuAD, "COCO test-dev" of COCO, "Llama 2 7B" of Llama 2 of LLaMA)?
// Slot {label}: written into the query text from the label parameter (kg/schema.py labels only).
// Parameters: label (Method or Dataset), name (name, alias or key, case-insensitive)
// Returns: entity, relation (family: what it is a variant of; variant: a variant of it), name, version, size, split, papers
// Example: kg query family -p label=Method -p name="Llama 2"
MATCH (n:{label})
WHERE n.key = $name OR toLower(n.name) = toLower($name)
   OR any(alias IN coalesce(n.aliases, []) WHERE toLower(alias) = toLower($name))
WITH n LIMIT 1
CALL {
  WITH n
  MATCH (n)-[:VARIANT_OF*1..3]->(f)
  RETURN DISTINCT 'family' AS relation, f AS other
  UNION
  WITH n
  MATCH (v)-[:VARIANT_OF*1..3]->(n)
  RETURN DISTINCT 'variant' AS relation, v AS other
}
RETURN n.name AS entity, relation, other.name AS name, other.version AS version, other.size AS size,
       other.split AS split, coalesce(other.papers, 0) AS papers
ORDER BY relation, papers DESC, name
