"""Build: papers file → extraction → store, streamed in bounded batches.

Nothing here holds the whole corpus: papers are read lazily, extracted with
``nlp.pipe`` (optionally in several processes) and loaded batch by batch, so
memory stays flat whatever the corpus size.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg.ingest import IngestReport, read_papers
from kg.loader import LoadReport


@dataclass
class BuildReport:
    ingest: IngestReport = field(default_factory=IngestReport)
    load: LoadReport = field(default_factory=LoadReport)

    def summary(self) -> str:
        load = self.load
        return (f"{self.ingest.summary()}; loaded {load.papers} papers "
                f"({load.updated} updated, {load.unchanged} unchanged), "
                f"{load.nodes} node rows, {load.relationships} relationship rows")


def extract_records(inputs: Iterable[str | Path], fmt: str | None = None, strict: bool = False,
                    jobs: int = 1, report: IngestReport | None = None,
                    on_paper: Callable[[], None] | None = None) -> Iterator[dict]:
    """Read papers from files and yield their extraction records."""
    from extractors.pipeline import extract

    papers = read_papers(inputs, format=fmt, strict=strict, report=report)
    for record in extract(papers, n_process=jobs):
        if on_paper:
            on_paper()
        yield record


def build(inputs: Iterable[str | Path], store, fmt: str | None = None, strict: bool = False,
          jobs: int = 1, batch_size: int | None = None,
          on_paper: Callable[[], None] | None = None) -> BuildReport:
    """Extract papers from ``inputs`` and load them into ``store``."""
    report = BuildReport()
    records = extract_records(inputs, fmt=fmt, strict=strict, jobs=jobs, report=report.ingest,
                              on_paper=on_paper)
    report.load = store.load(records, batch_size=batch_size)
    return report


def read_records(paths: Iterable[str | Path]) -> Iterator[dict]:
    """Read extraction JSONL files (``kg extract`` output) for ``kg load``."""
    from kg.ingest import IngestError

    for path in paths:
        with open(path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as error:
                    raise IngestError(f"{path}:{number}: not a JSON record ({error.msg})") from None
                if not isinstance(record, dict) or "id" not in record:
                    raise IngestError(f"{path}:{number}: not an extraction record (no 'id')")
                yield record
