// How many nodes of each label does the graph hold?
// Parameters: none
// Returns: label, count
// Example: kg query node-counts
// (One count per label of the schema, each a bare per-label count that the
// store answers from its bookkeeping, instead of scanning every node.)
CALL { MATCH (n:Paper) RETURN count(n) AS papers }
CALL { MATCH (n:Method) RETURN count(n) AS methods }
CALL { MATCH (n:Dataset) RETURN count(n) AS datasets }
CALL { MATCH (n:Task) RETURN count(n) AS tasks }
CALL { MATCH (n:Metric) RETURN count(n) AS metrics }
CALL { MATCH (n:Result) RETURN count(n) AS results }
CALL { MATCH (n:Code) RETURN count(n) AS codes }
UNWIND [{label: 'Paper', count: papers}, {label: 'Method', count: methods},
        {label: 'Dataset', count: datasets}, {label: 'Task', count: tasks},
        {label: 'Metric', count: metrics}, {label: 'Result', count: results},
        {label: 'Code', count: codes}] AS row
WITH row WHERE row.count > 0
RETURN row.label AS label, row.count AS count
ORDER BY label
