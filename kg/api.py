"""The Python API: the graph from a notebook or a pipeline.

    >>> import kg
    >>> with kg.open("./.kg") as graph:            # doctest: +SKIP
    ...     board = graph.query("leaderboard", dataset="COCO")

``kg.open`` opens the same stores as the ``kg`` command (an embedded store directory, default
``$KG_STORE`` or ``./.kg``, or a ``bolt://`` / ``neo4j://`` URI with credentials from
``$NEO4J_USER`` / ``$NEO4J_PASSWORD``); named queries and read-only Cypher come back as pandas
DataFrames, the graph as a networkx ``MultiDiGraph``; ``kg.extract`` and ``kg.nlp`` give the
extractor on text you hold. Errors are :class:`KGError` subclasses carrying the CLI's one-line
messages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported when used: `import kg` stays light
    import networkx
    import pandas
    from spacy.language import Language

__all__ = ["Graph", "KGError", "BadInput", "StoreUnavailable", "QueryRefused", "LimitReached",
           "open", "extract", "nlp"]


# --- errors: one line each, as the CLI prints them ---------------------------------------

class KGError(Exception):
    """Base of every error the API raises; ``str(error)`` is one line."""


class BadInput(KGError, ValueError):
    """A paper, record or parameter that cannot be used (file and line named when known)."""


class StoreUnavailable(KGError):
    """The store cannot be opened or reached, or it is busy."""


class QueryRefused(KGError):
    """A query that is not allowed: a write through :meth:`Graph.cypher`, an unknown named
    query, a missing parameter, Cypher the database rejects."""


class LimitReached(QueryRefused):
    """A query ran past its time limit and was stopped."""


#: What :func:`translate` knows; anything else is a bug and keeps its traceback.
def expected_errors() -> tuple[type[BaseException], ...]:
    from neo4j import exceptions as neo4j_errors

    from kg.ingest import IngestError
    from kg.queries import UnknownQuery
    from kg.stores import StoreError

    return (KGError, StoreError, IngestError, UnknownQuery, neo4j_errors.Neo4jError, neo4j_errors.DriverError,
            FileNotFoundError)


def translate(error: BaseException) -> KGError:
    """The one-line :class:`KGError` for a failure of the library, the driver or the input: the
    message the ``kg`` command prints (it calls this too) and the API raises."""
    from neo4j import exceptions as neo4j_errors

    from kg.ingest import IngestError
    from kg.queries import UnknownQuery
    from kg.stores import QueryLimit, ReadOnlyViolation, StoreBusy, StoreError

    def one_line(text: str) -> str:
        return " ".join(text.split()) or type(error).__name__

    if isinstance(error, KGError):
        return error

    if isinstance(error, QueryLimit):
        return LimitReached(one_line(str(error)))
    if isinstance(error, (ReadOnlyViolation, UnknownQuery)):
        return QueryRefused(one_line(str(error)))
    if isinstance(error, StoreBusy):
        return StoreUnavailable(one_line(str(error)))
    if isinstance(error, IngestError):
        return BadInput(one_line(str(error)))
    if isinstance(error, StoreError):
        text = one_line(str(error))
        if text.startswith(("cannot ", "unsupported store")):
            return StoreUnavailable(text)
        return QueryRefused(text)
    if isinstance(error, neo4j_errors.ServiceUnavailable):
        return StoreUnavailable(one_line(f"lost the connection to the store ({error}); if another kg process "
                                         "was holding it, it has exited: run the command again"))
    if isinstance(error, neo4j_errors.Neo4jError):
        return QueryRefused(one_line("the database said: " + (error.message or str(error)).splitlines()[0]))
    if isinstance(error, neo4j_errors.DriverError):
        return StoreUnavailable(one_line(f"database driver error: {error}"))
    if isinstance(error, FileNotFoundError):
        return BadInput(one_line(f"{error.filename}: no such file"))
    return KGError(one_line(str(error)))



class _Translated:
    """``with _Translated(): ...`` turns the library's errors into :class:`KGError` ones."""

    def __enter__(self):
        return self

    def __exit__(self, kind, error, _traceback):
        if error is None or isinstance(error, KGError) or not isinstance(error, Exception):
            return False
        raise translate(error) from None


# --- the graph ------------------------------------------------------------------------------

class Graph:
    """A knowledge graph store, open. Use as a context manager, or call :meth:`close`.

    Parameters
    ----------
    store : the store's handle from :func:`open`.
    """

    def __init__(self, store):
        self._store = store

    # context manager
    def __enter__(self) -> Graph:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Close the store (and its connections). Idempotent."""
        if self._store is not None:
            self._store.close()
            self._store = None

    @property
    def closed(self) -> bool:
        """True once :meth:`close` was called or the store's connection is gone."""
        return self._store is None or getattr(self._store, "_driver", True) is None

    @property
    def store(self):
        """The underlying :class:`kg.stores.BoltStore` (for what the API does not cover)."""
        if self._store is None:
            raise StoreUnavailable("the graph is closed")
        return self._store

    def __repr__(self) -> str:
        return f"<kg.Graph {self._store.describe() if self._store else 'closed'}>"

    # questions
    def queries(self) -> pandas.DataFrame:
        """The named queries of ``cypher/queries/``: ``name``, ``question``, ``parameters``,
        ``optional`` (parameters that may be left out), ``returns``, ``example``."""
        import pandas as pd

        from kg.queries import named_queries

        return pd.DataFrame([{"name": name, "question": q.question, "parameters": list(q.parameters),
                              "optional": list(q.optional), "returns": list(q.returns), "example": q.example}
                             for name, q in sorted(named_queries().items())])

    def query(self, name: str, /, **params: Any) -> pandas.DataFrame:
        """Run the named query ``name`` with keyword parameters (``name=`` among them, for the
        queries that take one); its rows as a DataFrame whose columns are the query's
        ``Returns`` (in that order, even when no row comes back).

        >>> graph.query("leaderboard", dataset="COCO", metric="AP")   # doctest: +SKIP
        """
        import pandas as pd

        columns, rows = self.rows(name, **params)
        return pd.DataFrame(rows, columns=columns)

    def rows(self, name: str, /, **params: Any) -> tuple[list[str], list[dict]]:
        """:meth:`query` as plain rows: ``(columns, rows)``, values as the driver gives them
        (``None`` stays ``None``). What ``kg query`` prints."""
        from kg.queries import named_query

        with _Translated():
            columns = list(named_query(name).returns)
            rows = self.store.run_named(name, params)
        if rows and set(rows[0]) != set(columns):  # a header out of step: the rows decide
            columns = list(rows[0])
        return columns, rows

    def cypher(self, text: str, /, params: dict[str, Any] | None = None, *, limit: int = 1000,
               timeout: float = 10.0, **kwargs: Any) -> pandas.DataFrame:
        """Run read-only Cypher, as the console does: a write is refused by the database
        (:class:`QueryRefused`), at most ``limit`` rows come back, and past ``timeout`` seconds
        the query is stopped (:class:`LimitReached`). Cypher parameters come as keywords or, for
        names such as ``limit``, in the ``params`` dict."""
        import pandas as pd

        from kg.explorer import cell

        columns, rows = self.cypher_rows(text, {**(params or {}), **kwargs}, limit=limit, timeout=timeout)
        return pd.DataFrame([{c: cell(row.get(c)) for c in columns} for row in rows], columns=columns)

    def cypher_rows(self, text: str, /, params: dict[str, Any] | None = None, *, limit: int = 1000,
                    timeout: float = 10.0) -> tuple[list[str], list[dict]]:
        """:meth:`cypher` as plain rows, ``(columns, rows)``: what ``kg cypher`` prints."""
        with _Translated():
            return self.store.console(text, params or {}, row_limit=limit, timeout=timeout)

    def stats(self) -> dict[str, dict[str, int]]:
        """Counts: ``{"nodes": {label: n}, "relations": {type: n}}``."""
        with _Translated():
            return self.store.stats()

    def to_networkx(self, around: str | tuple[str, str] | None = None, hops: int = 1) -> networkx.MultiDiGraph:
        """The graph (or the ``hops``-neighbourhood of ``around``, ``"Dataset:COCO"`` or
        ``("Dataset", "COCO")``) as a networkx ``MultiDiGraph``, with the node and edge
        attributes of the GraphML export. Node ids are ``"Label:key"``."""
        from kg.export import parse_around, to_networkx

        if isinstance(around, str):
            try:
                around = parse_around(around)
            except ValueError as error:
                raise BadInput(str(error)) from None
        with _Translated():
            try:
                return to_networkx(self.store, around=around, hops=hops)
            except (LookupError, ValueError) as error:  # nothing called that, a bad label or hops
                raise BadInput(str(error).strip("'\"")) from None

    def describe(self) -> str:
        """Where the graph lives, in words (the store directory or server, and the database)."""
        return self.store.describe()

    @property
    def kind(self) -> str:
        """``"embedded"`` (an ArcadeDB directory) or ``"bolt"`` (a server)."""
        return getattr(self.store, "kind", "bolt")

    def analysis(self, top: int = 10) -> dict[str, list]:
        """What ``kg stats --analysis`` prints: ``most_evaluated_datasets``, ``central_methods``
        (PageRank over method lineage and comparisons) and ``communities`` (datasets evaluated
        together), ``top`` rows each."""
        from kg import analysis

        return analysis.summary(self.to_networkx(), n=top)

    def export(self, path: str | Path, format: str = "graphml", *,  # noqa: A002 - kg export's name
               around: str | tuple[str, str] | None = None, hops: int = 1) -> dict[str, Any]:
        """Write the graph (or the ``hops``-neighbourhood of ``around``) as ``graphml``, ``gexf``,
        ``json`` (node-link) to the file ``path``, or ``csv`` (neo4j-admin import) to the
        directory ``path``. Returns ``format``, ``path``, ``nodes``, ``relationships``, ``files``."""
        from kg import export

        if format not in export.FORMATS:
            raise BadInput(f"unknown export format {format!r}; use one of {', '.join(export.FORMATS)}")
        graph = self.to_networkx(around=around, hops=hops)
        with _Translated():
            files = export.write(graph, format, path)
        return {"format": format, "path": str(path), "nodes": graph.number_of_nodes(),
                "relationships": graph.number_of_edges(), "files": [str(f) for f in files]}

    # changes
    def add(self, papers: Iterable[dict | str] | str | Path | Iterable[str | Path], *, jobs: int = 1,
            format: str | None = None, strict: bool = False,  # noqa: A002 - kg build's name
            batch_size: int | None = None, on_paper: Callable[[], None] | None = None,
            on_skipped: Callable[[int], None] | None = None,
            on_loaded: Callable[[int], None] | None = None):
        """Extract ``papers`` and load them: a path or a list of paths to papers files (any
        format ``kg build`` reads; ``format`` to say which), or an iterable of
        ``{"title", "abstract"}`` dicts (optional ``id``, ``url``, ``year``) or abstract strings.
        Papers already stored with the same text are skipped. Returns the report ``kg build``
        prints (:class:`kg.build.BuildReport`: ``extracted``, ``load.papers``, ``load.updated``,
        ``ingest.problems`` …); ``strict`` raises :class:`BadInput` at the first bad record.

        ``on_paper()`` is called after each extracted paper, ``on_skipped(n)`` when ``n`` were
        found current, ``on_loaded(n)`` after each committed batch."""
        from kg.build import build, build_papers

        if jobs < 1:
            raise BadInput("jobs must be at least 1")
        hooks = {"batch_size": batch_size, "on_paper": on_paper, "on_skipped": on_skipped,
                 "on_loaded": on_loaded}
        with _Translated():
            files = _paths(papers)
            if files is not None:
                for path in files:
                    if not Path(path).exists():
                        raise FileNotFoundError(2, "no such file", str(path))
                return build(files, self.store, fmt=format, strict=strict, jobs=jobs, **hooks)
            return build_papers(_papers(papers), self.store, jobs=jobs, **hooks)

    def load(self, records: Iterable[dict] | str | Path | Iterable[str | Path], *,
             batch_size: int = 500, progress: Callable[[int], None] | None = None):
        """Load extraction records (``kg extract`` output) without extracting: record dicts, or
        a path or paths to JSONL files or directories of them. Returns a
        :class:`kg.stores.LoadReport` (``papers``, ``unchanged``, ``updated``, ``rows``);
        ``progress(n)`` after each committed batch of ``n`` records."""
        from kg.build import read_records
        from kg.ingest import storable

        with _Translated():
            files = _paths(records)
            if files is not None:
                from kg.build import record_files

                for path in record_files(files):
                    if not path.exists():
                        raise FileNotFoundError(2, "no such file", str(path))
                stream = read_records(files)
            else:
                stream = (storable(_record(record, number)) for number, record in enumerate(records, 1))
            return self.store.load(stream, batch_size=batch_size, progress=progress)

    def remove(self, ids: Iterable[str] | str) -> int:
        """Delete papers by id with their relationships and results; entities other papers
        share stay. Returns how many were found and removed."""
        ids = [ids] if isinstance(ids, str) else list(ids)
        with _Translated():
            return self.store.remove_papers(ids)


def _paths(items: Any) -> list[str | Path] | None:
    """``items`` as a list of file paths, or None when it holds papers or records instead.
    A string is a path when it names a file, or looks like a file name (no spaces, a papers
    file's extension: a missing file is then an error, not an abstract)."""
    def is_path(item: Any) -> bool:
        if isinstance(item, Path):
            return True
        return isinstance(item, str) and (Path(item).exists() or (
            not any(ch.isspace() for ch in item) and Path(item).suffix.lower() in _FILE_SUFFIXES))

    if is_path(items):
        return [items]
    if isinstance(items, (list, tuple)) and items and all(is_path(i) for i in items):
        return list(items)
    return None


_FILE_SUFFIXES = {".jsonl", ".json", ".csv", ".tsv", ".txt", ".xml", ".atom", ".gz"}


def _record(record: Any, number: int) -> dict:
    if not isinstance(record, dict) or "id" not in record:
        raise BadInput(f"record {number}: not an extraction record (a dict with an 'id')")
    return record


def open(store: str | Path | None = None, *, database: str | None = None) -> Graph:  # noqa: A001
    """Open a graph: an embedded store directory (default ``$KG_STORE`` or ``./.kg``) or a
    ``bolt://`` / ``neo4j://`` URI (credentials from ``$NEO4J_USER`` / ``$NEO4J_PASSWORD``).

    An embedded store is reached through its holder process, as the ``kg`` command reaches it,
    so a notebook, the CLI and the explorer can use one store at once.
    """
    from kg.stores import StoreError, open_store

    try:
        return Graph(open_store(str(store) if store is not None else None, database=database, holder="daemon"))
    except StoreError as error:  # not reachable, wrong credentials, busy: the store is unavailable
        raise StoreUnavailable(" ".join(str(error).split())) from None
    except Exception as error:
        raise translate(error) from None


# --- extraction on text you hold --------------------------------------------------------------

def _papers(items: Iterable[dict | str]) -> Iterator:
    """Papers from dicts or strings, through the JSONL reader's checks (one at a time)."""
    import json

    from kg.ingest import IngestReport, read_text

    if isinstance(items, (str, dict)):
        items = [items]
    for number, item in enumerate(items, 1):
        if isinstance(item, str):
            text = " ".join(item.split())
            item = {"title": text.split(". ")[0][:200], "abstract": text}
        if not isinstance(item, dict):
            raise BadInput(f"paper {number}: a dict with 'title' and 'abstract', or a string, not "
                           f"{type(item).__name__}")
        report = IngestReport()
        found = list(read_text(json.dumps(item, default=str), format="jsonl", report=report,
                               source=f"<paper {number}>"))
        if not found:
            problem = report.problems[0] if report.problems else "not a paper"
            raise BadInput(" ".join(str(problem).split()).replace("<paper", "paper").replace(">:1:", ":"))
        yield from found


def extract(papers: Iterable[dict | str] | dict | str, *, n_process: int = 1) -> Iterator[dict]:
    """Extraction records (the ``kg extract`` JSONL objects) for papers given as
    ``{"title", "abstract"}`` dicts (optional ``id``, ``url``, ``year``) or abstract strings,
    streamed in input order; ``n_process`` > 1 extracts in worker processes."""
    from kg.build import extract_stream

    yield from extract_stream(_papers(papers), jobs=n_process)


def nlp() -> Language:
    """The spaCy ``Language`` with our components (the trained NER included when shipped).
    ``nlp.pipe(texts)`` works; each ``Doc`` carries, as lists of dicts:

    * ``doc._.kg_entities``: mentions (``start``/``end`` token offsets, ``label``, ``name``,
      ``text``, ``extractor``, ``conf``);
    * ``doc._.kg_relations``: relations (``type``, ``source``, ``target``, their labels,
      ``evidence``, ``confidence``);
    * ``doc._.kg_results``: reported results (``method``, ``dataset``, ``metric``, ``value``,
      ``unit``, ``setting``, ``evidence``, character offsets).
    """
    from extractors.pipeline import load_pipeline

    return load_pipeline()
