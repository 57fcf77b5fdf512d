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

from collections.abc import Iterable, Iterator
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
            return to_networkx(self.store, around=around, hops=hops)

    # changes
    def add(self, papers: Iterable[dict | str] | str | Path, *, jobs: int = 1):
        """Extract ``papers`` and load them: an iterable of ``{"title", "abstract"}`` dicts
        (optional ``id``, ``url``, ``year``) or abstract strings, or a path to a papers file
        (any format ``kg build`` reads). Returns the same report as ``kg build``
        (:class:`kg.build.BuildReport`: ``extracted``, ``load.papers``, ``load.updated`` …)."""
        from kg.build import build, build_papers

        with _Translated():
            if isinstance(papers, (str, Path)) and Path(papers).exists():
                return build([papers], self.store, jobs=jobs)
            return build_papers(_papers(papers), self.store, jobs=jobs)

    def remove(self, ids: Iterable[str] | str) -> int:
        """Delete papers by id with their relationships and results; entities other papers
        share stay. Returns how many were found and removed."""
        ids = [ids] if isinstance(ids, str) else list(ids)
        with _Translated():
            return self.store.remove_papers(ids)


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
