// Which papers introduce datasets or benchmarks (all, or one dataset's and its variants')?
// Parameters: dataset (optional: name, alias or family, case-insensitive)
// Returns: dataset, paper, title, evidence
// Example: kg query dataset-papers
MATCH (p:Paper)-[r:INTRODUCES]->(d:Dataset)
WHERE $dataset IS NULL
   OR EXISTS { MATCH (d)-[:VARIANT_OF*0..3]->(f:Dataset)
               WHERE toLower(f.name) = toLower($dataset)
                  OR any(alias IN coalesce(f.aliases, []) WHERE toLower(alias) = toLower($dataset)) }
RETURN d.name AS dataset, p.key AS paper, p.title AS title, r.evidence AS evidence
ORDER BY dataset, paper
