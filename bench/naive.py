"""The baseline the batched loader is measured against: one MERGE per row.

The same rows as ``BoltStore.load`` (``kg.loader.rows_for_batch``, the same
consolidation after it, the same graph in the end), but every paper, entity and
relationship is its own statement (``cypher/load/naive-*.cypher``): what a
first loader usually looks like. ``per_paper=False`` (the default) runs each
statement in its own auto-commit transaction, the literal "one MERGE per
row"; ``per_paper=True`` groups one paper's statements in one transaction
(as crash-safe as the batched loader, and kinder to the baseline).
"""

from __future__ import annotations

from collections.abc import Iterable

from kg import queries
from kg.loader import LoadReport, rows_for_batch
from kg.consolidate import consolidate


def naive_load(store, records: Iterable[dict], per_paper: bool = False) -> LoadReport:
    store.ensure_schema()
    report = LoadReport()
    paper_statement = queries.load_statement("naive-paper")

    def write(tx, rows) -> None:
        for paper in rows.papers:
            tx.run(paper_statement, key=paper["key"], props=paper["props"]).consume()
        for label, node_rows in rows.nodes.items():
            statement = queries.render("naive-entity", label=label)
            for row in node_rows:
                tx.run(statement, key=row["key"], name=row["name"], name_rank=row.get("name_rank"),
                       aliases=row["aliases"], props=row["props"]).consume()
        for (rel_type, source, target), rel_rows in rows.relations.items():
            statement = queries.render("naive-relation", type=rel_type, source=source, target=target)
            for row in rel_rows:
                tx.run(statement, source=row["source"], target=row["target"], paper=row["paper"],
                       props=row["props"]).consume()
        for label, count_rows in rows.mentions.items():  # the entities' paper counts, a row each
            statement = queries.render("add-paper-counts", label=label)
            for row in count_rows:
                tx.run(statement, rows=[row]).consume()

    with store._driver.session(database=store.database) as session:
        for record in records:
            rows = rows_for_batch([record])
            if per_paper:
                session.execute_write(write, rows)
            else:  # a session runs each statement in its own transaction
                write(session, rows)
            report.add(rows)
    if report.papers:
        report.merged = consolidate(store).merged
    return report
