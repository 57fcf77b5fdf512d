// Add a batch's papers to the stored paper count (schema.PAPER_COUNT) of each
// entity they mention. Every relationship of a batch paper is new (a changed
// paper's old ones were removed first), so the count grows by exactly these.
// Template: {label}. Parameters: $rows ({key, papers}).
UNWIND $rows AS row
MATCH (n:{label} {key: row.key})
SET n.papers = coalesce(n.papers, 0) + row.papers
