// How many relationships of each type does the graph hold?
// Parameters: none
// Returns: type, count
// Example: kg query relation-counts
// (Each type is counted from the end with the fewest nodes, as the schema
// in kg/schema.py allows it, instead of walking every relationship. A Result
// belongs to exactly one paper: its key holds the paper id and the loader writes
// one HAS_RESULT per Result, so that type is the count of Result nodes, which
// ArcadeDB keeps, not a walk over every Result.)
CALL { MATCH (:Method)<-[r:INTRODUCES]-() RETURN count(r) AS introduces_method }
CALL { MATCH (:Dataset)<-[r:INTRODUCES]-() RETURN count(r) AS introduces_dataset }
CALL { MATCH (:Dataset)<-[r:EVALUATES_ON]-() RETURN count(r) AS evaluates_on }
CALL { MATCH (:Method)<-[r:USES]-() RETURN count(r) AS uses }
CALL { MATCH (:Task)<-[r:ADDRESSES]-() RETURN count(r) AS addresses }
CALL { MATCH (:Code)<-[r:HAS_CODE]-() RETURN count(r) AS has_code }
CALL { MATCH (:Dataset)<-[r:REPORTS_ON]-() RETURN count(r) AS reports_on }
CALL { MATCH (n:Result) RETURN count(n) AS has_result }
CALL { MATCH (:Method)-[r:ACHIEVES]->() RETURN count(r) AS achieves }
CALL { MATCH (:Dataset)<-[r:ON]-() RETURN count(r) AS on_dataset }
CALL { MATCH (:Metric)<-[r:MEASURED_BY]-() RETURN count(r) AS measured_by }
CALL { MATCH (:Method)-[r:OUTPERFORMS]->() RETURN count(r) AS outperforms }
CALL { MATCH (:Method)<-[r:BUILDS_ON]-() RETURN count(r) AS builds_on }
CALL { MATCH (:Method)<-[r:APPLIED_TO]-() RETURN count(r) AS applied_to }
CALL { MATCH (:Method)<-[r:COMPARES_WITH]-() RETURN count(r) AS compares_with }
CALL { MATCH (:Method)<-[r:MENTIONS]-() RETURN count(r) AS mentions_method }
CALL { MATCH (:Dataset)<-[r:MENTIONS]-() RETURN count(r) AS mentions_dataset }
CALL { MATCH (:Task)<-[r:MENTIONS]-() RETURN count(r) AS mentions_task }
CALL { MATCH (:Metric)<-[r:MENTIONS]-() RETURN count(r) AS mentions_metric }
CALL { MATCH (:Method)-[r:VARIANT_OF]->() RETURN count(r) AS method_variants }
CALL { MATCH (:Dataset)-[r:VARIANT_OF]->() RETURN count(r) AS dataset_variants }
UNWIND [{type: 'INTRODUCES', count: introduces_method + introduces_dataset},
        {type: 'EVALUATES_ON', count: evaluates_on}, {type: 'USES', count: uses},
        {type: 'ADDRESSES', count: addresses}, {type: 'HAS_CODE', count: has_code},
        {type: 'REPORTS_ON', count: reports_on}, {type: 'HAS_RESULT', count: has_result},
        {type: 'ACHIEVES', count: achieves}, {type: 'ON', count: on_dataset},
        {type: 'MEASURED_BY', count: measured_by}, {type: 'OUTPERFORMS', count: outperforms},
        {type: 'BUILDS_ON', count: builds_on}, {type: 'APPLIED_TO', count: applied_to},
        {type: 'COMPARES_WITH', count: compares_with},
        {type: 'MENTIONS', count: mentions_method + mentions_dataset + mentions_task + mentions_metric},
        {type: 'VARIANT_OF', count: method_variants + dataset_variants}] AS row
WITH row WHERE row.count > 0
RETURN row.type AS type, row.count AS count
ORDER BY type
