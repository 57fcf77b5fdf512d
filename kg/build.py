"""Build: papers file → extraction → store, streamed in bounded batches.

Nothing here holds the whole corpus. Papers are read lazily; a paper whose
stored hash (its text + the extractor version, see ``kg.loader.paper_hash``)
is current is skipped *before* extraction, which is the expensive part;
the others are extracted with ``nlp.pipe`` (in ``jobs`` worker processes when
``jobs > 1``) and handed to a writer thread that loads them batch by batch,
one transaction per batch, while extraction goes on. Memory is bounded by a
few batches whatever the corpus size::

    read_papers ─► skip stored ─► extract (main, or N workers) ─► queue ─► writer thread ─► store
"""

from __future__ import annotations

import gzip
import itertools
import json
import multiprocessing
import queue
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg.ingest import IngestReport, read_papers
from kg.loader import LoadReport, paper_hash

#: Papers per load transaction (measured: 500 is where larger stops paying off).
DEFAULT_BATCH = 500
#: Papers per ``nlp.pipe`` batch, and per chunk sent to a worker process.
PIPE_BATCH = 32
#: Papers per stored-hash query when skipping unchanged papers.
HASH_CHUNK = 500


@dataclass
class BuildReport:
    ingest: IngestReport = field(default_factory=IngestReport)
    load: LoadReport = field(default_factory=LoadReport)
    #: papers that went through extraction (the rest were already current)
    extracted: int = 0

    def summary(self) -> str:
        load = self.load
        return (f"{self.ingest.summary()}; extracted {self.extracted}; loaded {load.papers} papers "
                f"({load.updated} updated, {load.unchanged} unchanged), "
                f"{load.nodes} node rows, {load.relationships} relationship rows; "
                f"{load.merged} entity nodes joined to another")


# --- extraction, in this process or in worker processes -------------------------

_WORKER_NLP = None


def _init_worker(model_dir: str | None, use_ner: bool) -> None:
    global _WORKER_NLP
    from extractors.pipeline import load_pipeline

    _WORKER_NLP = load_pipeline(model_dir, use_ner=use_ner)


def _extract_chunk(papers: list) -> list[dict]:
    from extractors.pipeline import extract

    return list(extract(papers, nlp=_WORKER_NLP, batch_size=PIPE_BATCH))


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


class ExtractionPool:
    """``jobs`` worker processes, each with the pipeline loaded once.

    Started with *spawn*: the parent may hold a JVM (the embedded store) and
    threads, which must not be forked. Scripts that use it need the usual
    ``if __name__ == "__main__":`` guard. Each worker returns finished
    records, so the parent does no spaCy work.
    """

    def __init__(self, jobs: int, model_dir: str | None = None, use_ner: bool = True):
        self.jobs = jobs
        context = multiprocessing.get_context("spawn")
        self._pool = context.Pool(jobs, initializer=_init_worker, initargs=(model_dir, use_ner))

    def warm(self) -> None:
        """Wait until every worker has loaded its pipeline."""
        self._pool.map(_ready, range(self.jobs), chunksize=1)

    def stream(self, papers: Iterable, chunk: int = PIPE_BATCH) -> Iterator[dict]:
        """Records for ``papers`` in input order; a few chunks per worker in flight."""
        pending: deque = deque()
        for group in _chunks(papers, chunk):
            pending.append(self._pool.apply_async(_extract_chunk, (group,)))
            while len(pending) >= 4 * self.jobs:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()

    def close(self, wait: bool = True) -> None:
        """Stop the workers: after the queued chunks (``wait``), or at once.

        The normal end waits: a full test run once hung in ``Pool.terminate``'s
        join, one worker still blocked on the task queue's lock, whereas a
        drained, closed pool lets every worker take its sentinel and exit.
        """
        if wait:
            self._pool.close()
        else:
            self._pool.terminate()
        self._pool.join()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, *exc):
        # a consumer that stops early (GeneratorExit) leaves at most a few chunks queued
        self.close(wait=exc_type is None or exc_type is GeneratorExit)


def _ready(_index: int) -> bool:
    time.sleep(0.2)  # long enough for every worker to take one
    return _WORKER_NLP is not None


def extract_stream(papers: Iterable, jobs: int = 1, nlp=None, model_dir: str | None = None,
                   use_ner: bool = True) -> Iterator[dict]:
    """Extraction records for ``papers``, in input order, with bounded look-ahead:
    in this process, or (``jobs > 1``) in an :class:`ExtractionPool`, started
    only once there is a paper to extract."""
    from extractors.pipeline import extract, load_pipeline

    papers = iter(papers)
    first = next(papers, None)
    if first is None:  # nothing to extract: load no pipeline, start no process
        return
    papers = itertools.chain([first], papers)
    if jobs <= 1:
        yield from extract(papers, nlp=nlp or load_pipeline(model_dir, use_ner=use_ner),
                           batch_size=PIPE_BATCH)
        return
    with ExtractionPool(jobs, model_dir, use_ner) as pool:
        yield from pool.stream(papers)


def current_hash(paper) -> str:
    """The hash a paper would be stored with if extracted now."""
    from extractors.pipeline import EXTRACTOR_VERSION

    return paper_hash(paper.content_hash(), EXTRACTOR_VERSION)


def skip_stored(papers: Iterable, store, report: LoadReport,
                on_skip: Callable[[int], None] | None = None, chunk: int = HASH_CHUNK) -> Iterator:
    """Papers whose stored hash is not current (asks the store per chunk)."""
    for group in _chunks(papers, chunk):
        stored = store.stored_hashes([paper.id for paper in group])
        skipped = 0
        for paper in group:
            if stored.get(paper.id) == current_hash(paper):
                skipped += 1
            else:
                yield paper
        if skipped:
            report.unchanged += skipped
            if on_skip:
                on_skip(skipped)


def extract_records(inputs: Iterable[str | Path], fmt: str | None = None, strict: bool = False,
                    jobs: int = 1, report: IngestReport | None = None,
                    on_paper: Callable[[], None] | None = None) -> Iterator[dict]:
    """Read papers from files and yield their extraction records."""
    papers = read_papers(inputs, format=fmt, strict=strict, report=report)
    for record in extract_stream(papers, jobs=jobs):
        if on_paper:
            on_paper()
        yield record


# --- loading in a writer thread ---------------------------------------------------

_END = object()
_ABORT = object()


class _Aborted(Exception):
    pass


class _Writer:
    """Loads records handed over through a bounded queue, in its own thread.

    The store's work happens in the database (another process, or the JVM
    in this one), so the writer mostly waits and extraction keeps going.
    """

    def __init__(self, store, batch_size: int, on_loaded: Callable[[int], None] | None):
        self.queue: queue.Queue = queue.Queue(maxsize=2 * batch_size)
        self.report: LoadReport | None = None
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(store, batch_size, on_loaded),
                                        name="kg-writer", daemon=True)
        self._thread.start()

    def _records(self) -> Iterator[dict]:
        while True:
            item = self.queue.get()
            if item is _END:
                return
            if item is _ABORT:
                raise _Aborted
            yield item

    def _run(self, store, batch_size, on_loaded) -> None:
        try:
            self.report = store.load(self._records(), batch_size=batch_size, progress=on_loaded)
        except _Aborted:
            pass
        except BaseException as error:  # handed to the main thread
            self.error = error
            self._drain()

    def _drain(self) -> None:
        """Keep the queue moving after a failure so the producer never blocks."""
        while True:
            item = self.queue.get()
            if item is _END or item is _ABORT:
                return

    def put(self, item) -> None:
        if self.error is not None:
            raise self.error
        while True:
            try:
                self.queue.put(item, timeout=0.5)
                return
            except queue.Full:
                if self.error is not None:
                    raise self.error from None
                if not self._thread.is_alive():
                    raise RuntimeError("the writer thread stopped")

    def finish(self) -> LoadReport:
        self.queue.put(_END)
        self._thread.join()
        if self.error is not None:
            raise self.error
        return self.report or LoadReport()

    def abort(self) -> None:
        try:
            self.queue.put(_ABORT, timeout=5)
        except queue.Full:
            pass
        self._thread.join(timeout=60)


def build(inputs: Iterable[str | Path], store, fmt: str | None = None, strict: bool = False,
          jobs: int = 1, batch_size: int | None = None,
          on_paper: Callable[[], None] | None = None,
          on_skipped: Callable[[int], None] | None = None,
          on_loaded: Callable[[int], None] | None = None,
          nlp=None) -> BuildReport:
    """Extract papers from ``inputs`` and load them into ``store``.

    ``on_paper()`` after each extracted paper, ``on_skipped(n)`` when ``n``
    papers were found current (not extracted), ``on_loaded(n)`` after each
    committed batch (from the writer thread).
    """
    report = BuildReport()
    papers = read_papers(inputs, format=fmt, strict=strict, report=report.ingest)
    return build_papers(papers, store, jobs=jobs, batch_size=batch_size, on_paper=on_paper,
                        on_skipped=on_skipped, on_loaded=on_loaded, nlp=nlp, report=report)


def build_papers(papers: Iterable, store, jobs: int = 1, batch_size: int | None = None,
                 on_paper: Callable[[], None] | None = None,
                 on_skipped: Callable[[int], None] | None = None,
                 on_loaded: Callable[[int], None] | None = None,
                 nlp=None, report: BuildReport | None = None) -> BuildReport:
    """:func:`build` for papers already read (:class:`kg.ingest.Paper`): extract those not
    current in ``store`` and load them."""
    report = report or BuildReport()
    store.ensure_schema()
    skipped = LoadReport()
    todo = skip_stored(papers, store, skipped, on_skip=on_skipped)
    writer = _Writer(store, batch_size or DEFAULT_BATCH, on_loaded)
    try:
        for record in extract_stream(todo, jobs=jobs, nlp=nlp):
            report.extracted += 1
            if on_paper:
                on_paper()
            writer.put(record)
    except BaseException:
        writer.abort()
        raise
    report.load = writer.finish()
    report.load.unchanged += skipped.unchanged
    return report


# --- helpers for the command line ------------------------------------------------


def count_papers(inputs: Iterable[str | Path], fmt: str | None = None) -> int | None:
    """How many papers ``inputs`` hold, when that is cheap to know: the
    non-blank lines of JSONL and SciTLDR files. None for other formats."""
    from kg.ingest import _expand, detect_format

    total = 0
    for path in inputs:
        for file in _expand(Path(path)):
            try:
                kind = fmt or detect_format(file)
            except Exception:
                return None
            if kind not in ("jsonl", "scitldr"):
                return None
            opener = gzip.open if file.suffix.lower() == ".gz" else open
            try:
                with opener(file, "rb") as handle:
                    total += sum(1 for line in handle if line.strip())
            except OSError:
                return None
    return total


def count_records(paths: Iterable[str | Path]) -> int:
    """Records in extraction JSONL files (non-blank lines)."""
    total = 0
    for path in paths:
        with open(path, "rb") as handle:
            total += sum(1 for line in handle if line.strip())
    return total


def record_files(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, and the ``*.jsonl`` files of directories named (sorted)."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(sorted(p for p in path.glob("*.jsonl") if p.is_file()))
        else:
            found.append(path)
    return found


def read_records(paths: Iterable[str | Path]) -> Iterator[dict]:
    """Read extraction JSONL files (``kg extract`` output) for ``kg load``."""
    from kg.ingest import IngestError, storable

    for path in record_files(paths):
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
                yield storable(record)


class PlainProgress:
    """What :func:`progress_bar` gives when the console is not a terminal (piped, logged): a
    plain line every ``every`` seconds and one at the end, with the same calls as rich's."""

    def __init__(self, console, total: int | None, description: str, every: float = 10.0):
        self.console, self.total, self.description, self.every = console, total, description, every
        self.completed, self.note = 0, ""
        self.started = self._last = time.monotonic()
        self.tasks = [self]

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        if self.completed:
            self._line()

    def advance(self, _task=None, advance: int = 1) -> None:
        self.completed += advance
        if time.monotonic() - self._last >= self.every:
            self._line()

    def update(self, _task=None, total=None, completed=None, note=None, **_fields) -> None:
        if total is not None:
            self.total = total
        if completed is not None:
            self.completed = completed
        if note is not None:
            self.note = note

    def _line(self) -> None:
        self._last = time.monotonic()
        elapsed = max(self._last - self.started, 1e-9)
        of = f"/{self.total:,}" if self.total else ""
        note = f", {self.note}" if self.note else ""
        self.console.print(f"{self.description}: {self.completed:,}{of} papers, "
                           f"{self.completed / elapsed:,.0f} papers/s{note}, {elapsed:.0f}s", highlight=False)


def progress_bar(console, total: int | None = None, description: str = "building"):
    """A rich progress bar on a terminal (papers done, of total when known, papers/s, ETA);
    plain lines (:class:`PlainProgress`) when the output is piped."""
    if not console.is_terminal:
        progress = PlainProgress(console, total, description)
        return progress, 0
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn,
                               TextColumn, TimeElapsedColumn, TimeRemainingColumn)
    from rich.text import Text

    class Rate(ProgressColumn):
        def render(self, task) -> Text:
            speed = task.finished_speed or task.speed
            return Text(f"{speed:,.0f} papers/s" if speed else "… papers/s", style="cyan")

    progress = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                        Rate(), TextColumn("{task.fields[note]}", style="dim"), TimeElapsedColumn(),
                        TextColumn("ETA"), TimeRemainingColumn(), console=console, transient=False,
                        speed_estimate_period=60)
    task = progress.add_task(description, total=total, note="")
    return progress, task

