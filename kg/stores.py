"""Graph stores: one Bolt implementation, two ways to get a server.

``BoltStore`` talks Cypher to any Bolt server (Neo4j, Aura, ArcadeDB) through
the official ``neo4j`` driver. ``EmbeddedStore`` starts ArcadeDB in this
process with its Bolt listener on a loopback port, and is then the very same
``BoltStore``: one loader, one set of queries, whichever database holds the
graph. ``open_store`` picks one from a ``--store`` value.

The embedded store directory is held by one process at a time (a file lock).
The holder advertises its loopback endpoint in ``endpoint.json`` (mode 0600),
so a second ``kg`` command reaches the graph through the holder instead of
opening the files twice.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import functools
import json
import logging
import os
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
import weakref
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import neo4j
from neo4j import GraphDatabase
from neo4j.exceptions import ClientError, Neo4jError, ServiceUnavailable

from kg import queries, schema
from kg.consolidate import consolidate
from kg.loader import ENTITY_RELATIONS, GraphRows, LoadReport, record_hash, rows_for_batch

DEFAULT_STORE = "./.kg"
DEFAULT_BATCH = 500
BOLT_SCHEMES = ("bolt://", "bolt+s://", "bolt+ssc://", "neo4j://", "neo4j+s://", "neo4j+ssc://")


class StoreError(RuntimeError):
    """A store could not be opened or used; the message is for the user."""


class StoreBusy(StoreError):
    pass


class ReadOnlyViolation(StoreError):
    """A console query tried to change the graph; it was rolled back."""


class QueryLimit(StoreError):
    """A console query ran past its time limit; its connection was cut and the store answers."""


@dataclass
class Credentials:
    user: str
    password: str
    reader_user: str | None = None
    reader_password: str | None = None


class BoltStore:
    """A graph on any Bolt server, reached through the official driver."""

    kind = "bolt"

    def __init__(self, uri: str, credentials: Credentials, database: str | None = None,
                 batch_size: int = DEFAULT_BATCH):
        self.uri = uri
        self.database = database
        self.batch_size = batch_size
        self._credentials = credentials
        self._driver = self._connect(credentials.user, credentials.password)
        self._schema_ready = False
        _open_stores.add(self)

    # -- connection ---------------------------------------------------------
    def _connect(self, user: str, password: str) -> neo4j.Driver:
        # a lost server is reported after 10 s of retries, not the driver's default 30
        driver = GraphDatabase.driver(self.uri, auth=(user, password), max_transaction_retry_time=10.0)
        try:
            driver.verify_connectivity()
        except ServiceUnavailable as error:
            driver.close()
            raise StoreError(f"cannot reach a Bolt server at {self.uri}: {error}") from None
        except Neo4jError as error:
            driver.close()
            raise StoreError(f"{self.uri}: {error.message or error}") from None
        return driver

    @property
    def server_agent(self) -> str:
        with self._driver.session(database=self.database) as session:
            return session.run("RETURN 1").consume().server.agent

    def describe(self) -> str:
        return f"{self.uri} (database {self.database or 'default'})"

    def close(self) -> None:
        _open_stores.discard(self)
        if self._driver is not None:
            self._driver.close()
        self._driver = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- writing ------------------------------------------------------------
    def ensure_schema(self) -> None:
        """Create constraints and indexes from ``cypher/schema.cypher``."""
        if self._schema_ready:
            return
        with self._driver.session(database=self.database) as session:
            for statement in queries.schema_statements():
                session.run(statement).consume()
        self._schema_ready = True

    def load(self, records: Iterable[dict], batch_size: int | None = None,
             progress=None) -> LoadReport:
        """Load extraction records in batches; one write transaction per batch.

        A batch commits whole or not at all, so a killed build never leaves
        half a paper. Papers whose hash is unchanged are skipped; changed ones
        lose their old relationships first. ``progress(n)`` is called after
        each batch with the number of records it held. ``records`` is read
        lazily: memory holds one batch, whatever the corpus size.
        """
        self.ensure_schema()
        report = LoadReport()
        size = batch_size or self.batch_size
        with self.writing():
            for batch in _batches(records, size):
                self._load_batch(batch, report)
                if progress:
                    progress(len(batch))
            if report.updated:
                self._delete_unrelated_entities()
            # one node per thing, whatever order the papers came in; also after a load that wrote
            # nothing, so a re-run after a killed build converges to the clean build
            report.merged = consolidate(self).merged
        return report

    def writing(self):
        """Held while this store writes. A Bolt server orders concurrent writers itself; an
        embedded store lets one writer in at a time (:meth:`EmbeddedStore.writing`)."""
        return contextlib.nullcontext()

    def _delete_unrelated_entities(self) -> None:
        """Entities with no relationship at all, which only a graph written by
        an older loader holds: its papers come back as updated, then this."""
        def work(tx):
            for label in schema.ENTITY_LABELS:
                tx.run(queries.render("delete-unrelated-entities", label=label)).consume()

        with self._driver.session(database=self.database) as session:
            session.execute_write(work)

    def _load_batch(self, records: list[dict], report: LoadReport) -> None:
        """One batch, one transaction: read the stored hashes, clear changed
        papers, write the rows. A retried transaction redoes all of it."""
        with self._driver.session(database=self.database) as session:
            outcome = session.execute_write(self._write_batch, records)
        if outcome is not None:
            rows, changed, unchanged = outcome
            report.unchanged += unchanged
            if rows is not None:
                report.add(rows, updated=changed)

    @staticmethod
    def _write_batch(tx: neo4j.ManagedTransaction, records: list[dict]):
        result = tx.run(queries.load_statement("paper-hashes"), ids=[r["id"] for r in records])
        stored = {row["id"]: row["hash"] for row in result}
        fresh, changed, unchanged = {}, set(), 0
        for record in records:
            previous = stored.get(record["id"])
            if previous is not None and previous == record_hash(record):
                unchanged += 1
                continue
            fresh[record["id"]] = record
            if record["id"] in stored:
                changed.add(record["id"])
        if not fresh:
            return None, 0, unchanged
        rows = rows_for_batch(list(fresh.values()))
        BoltStore._write_rows(tx, rows, sorted(changed))
        return rows, len(changed), unchanged

    def _stored_hashes(self, ids: list[str]) -> dict[str, str | None]:
        """The stored hash of each of ``ids`` that is in the graph."""
        with self._driver.session(database=self.database) as session:
            result = session.run(queries.load_statement("paper-hashes"), ids=ids)
            return {row["id"]: row["hash"] for row in result}

    def stored_hashes(self, ids: list[str], chunk: int = 2000) -> dict[str, str | None]:
        """``_stored_hashes`` in chunks (for skipping papers before extraction)."""
        found: dict[str, str | None] = {}
        for start in range(0, len(ids), chunk):
            found.update(self._stored_hashes(ids[start:start + chunk]))
        return found

    @staticmethod
    def _clear_papers(tx: neo4j.ManagedTransaction, ids: list[str]) -> dict[str, set[str]]:
        """Remove the papers' results and relationships (index lookups and a
        scan of the entity-to-entity types only); return, per label, the
        entities they reached: the only candidates for orphan deletion."""
        candidates: dict[str, set[str]] = defaultdict(set)
        for row in tx.run(queries.load_statement("paper-neighbours"), ids=ids):
            if row["label"] in GraphRows.orphan_labels and row["key"]:
                candidates[row["label"]].add(row["key"])
        for rel_type in ENTITY_RELATIONS:
            sources, targets = schema.RELATIONS[rel_type]
            for source in sources:
                for target in targets:
                    statement = queries.render("clear-entity-relations", type=rel_type,
                                               source=source, target=target)
                    for row in tx.run(statement, ids=ids):
                        candidates[source].add(row["source"])
                        candidates[target].add(row["target"])
        tx.run(queries.load_statement("clear-paper"), ids=ids).consume()
        return candidates

    @staticmethod
    def _delete_orphans(tx: neo4j.ManagedTransaction, candidates: dict[str, set[str]],
                        keep: GraphRows | None = None) -> None:
        for label, keys in candidates.items():
            if keep is not None:  # what the new rows name stays, as in a fresh build
                keys = keys - {row["key"] for row in keep.nodes.get(label, ())}
            if keys and label in GraphRows.orphan_labels:
                tx.run(queries.render("delete-orphans", label=label), keys=sorted(keys)).consume()

    @staticmethod
    def _recount_papers(tx: neo4j.ManagedTransaction, candidates: dict[str, set[str]]) -> None:
        """Entities that lost relationships: their paper counts, from what is left."""
        for label, keys in candidates.items():
            if keys and label in schema.ENTITY_LABELS:
                tx.run(queries.render("recount-papers", label=label), keys=sorted(keys)).consume()

    @staticmethod
    def _write_rows(tx: neo4j.ManagedTransaction, rows: GraphRows, changed: list[str]) -> None:
        candidates = BoltStore._clear_papers(tx, changed) if changed else {}
        BoltStore._recount_papers(tx, candidates)
        if changed:  # papers already in the graph are updated, the others created
            known = set(changed)
            updated = [row for row in rows.papers if row["key"] in known]
            created = [row for row in rows.papers if row["key"] not in known]
            tx.run(queries.load_statement("papers"), rows=updated).consume()
        else:
            created = rows.papers
        if created:
            tx.run(queries.load_statement("create-papers"), rows=created).consume()
        for label, entity_rows in rows.nodes.items():
            tx.run(queries.render("entities", label=label), rows=entity_rows).consume()
        for (rel_type, source, target), rel_rows in rows.relations.items():
            statement = queries.render("relations", type=rel_type, source=source, target=target)
            tx.run(statement, rows=rel_rows).consume()
        for label, count_rows in rows.mentions.items():
            tx.run(queries.render("add-paper-counts", label=label), rows=count_rows).consume()
        if candidates:
            BoltStore._delete_orphans(tx, candidates, keep=rows)

    def remove_papers(self, ids: list[str]) -> int:
        """Delete papers with their edges and results; shared entities stay."""
        found = self._stored_hashes(ids)
        if not found:
            return 0

        def work(tx):
            present = sorted(found)
            candidates = self._clear_papers(tx, present)
            tx.run(queries.load_statement("delete-papers"), ids=present).consume()
            self._delete_orphans(tx, candidates)
            self._recount_papers(tx, candidates)

        with self.writing(), self._driver.session(database=self.database) as session:
            session.execute_write(work)
        return len(found)

    # -- reading ------------------------------------------------------------
    def run_named(self, name: str, params: dict[str, Any] | None = None) -> list[dict]:
        """Run a named query from ``cypher/queries/`` with parameters.

        A query with the ``{label}`` slot gets ``params["label"]`` written
        into its text, after checking that it is a node label of the schema
        (see ``kg.queries.fill_label``); it is still passed as ``$label`` too.
        """
        query = queries.named_query(name)
        params = {name: None for name in query.optional} | dict(params or {})
        missing = [p for p in query.parameters if p not in params]
        if missing:
            raise StoreError(f"query {name!r} needs parameter(s): {', '.join(missing)}")
        if query.python:  # "search": ranked in Python over the entity index (kg/search.py)
            from kg import search

            return search.search(self, str(params["q"]), limit=params.get("limit") or 25, label=params.get("label"))
        try:
            text = queries.fill_label(query, params.get("label"))
        except ValueError as error:
            raise StoreError(str(error)) from None
        return self.read(text, params)

    def read(self, text: str, params: dict[str, Any] | None = None) -> list[dict]:
        """Run trusted library Cypher in a read transaction."""
        def work(tx):
            result = tx.run(text, params or {})
            keys = result.keys()
            return [_record_dict(keys, record) for record in result]

        with self._driver.session(database=self.database) as session:
            return session.execute_read(work)

    def stats(self) -> dict[str, dict[str, int]]:
        nodes = {row["label"]: row["count"] for row in self.run_named("node-counts")}
        relations = {row["type"]: row["count"] for row in self.run_named("relation-counts")}
        return {"nodes": nodes, "relations": relations}

    # -- the read-only console ------------------------------------------------
    def console(self, text: str, params: dict[str, Any] | None = None,
                row_limit: int = 1000, timeout: float = 10.0) -> tuple[list[str], list[dict]]:
        """Run a user's Cypher read-only: the database, not string matching, decides.

        1. ``EXPLAIN`` it (in a transaction that is rolled back): a query the
           planner types as a write or schema query is refused before it runs.
           ArcadeDB types every EXPLAIN as a write, so there this step cannot
           tell and the next one decides.
        2. Run it in an explicit transaction that is *always* rolled back, with
           a time-out and a row cap; if the server reports that it wrote
           anything, refuse. On the embedded store the console connects as a
           read-only database user, so a write is rejected by ArcadeDB's own
           permission checks before it happens.

        Limits hold whatever the query: it runs on a connection of its own, in
        a worker thread. At the row cap the stream stops there (the rest is not
        fetched: a DISCARD or ROLLBACK would make ArcadeDB drain it, which for a
        cross product never ends); past ``timeout`` seconds the caller gets
        :class:`QueryLimit` and the connection is cut, so the server stops
        streaming to it (ArcadeDB ignores Bolt's transaction time-out; Neo4j
        enforces it as well). Either way the store keeps answering.
        """
        params = params or {}
        creds = self._credentials
        user = (creds.reader_user, creds.reader_password or "") if creds.reader_user else \
            (creds.user, creds.password)
        outcome: dict[str, Any] = {}
        # One console query at a time per process: ArcadeDB 26.10's Bolt
        # listener stops answering when several connections fail at once, and
        # console queries are where failing user Cypher comes from.
        with _console_lock:
            driver = GraphDatabase.driver(self.uri, auth=user, max_connection_pool_size=1)
            try:
                worker = threading.Thread(target=self._console_work, daemon=True, name="kg-console",
                                          args=(driver, text, params, row_limit, timeout, outcome))
                worker.start()
                worker.join(timeout)
                if worker.is_alive():  # past the limit: cut its connection
                    _cut(outcome.get("tx"))
                    worker.join(5)
                    raise QueryLimit(f"time limit reached: the query ran longer than {timeout:g} s "
                                     "and was stopped (raise --timeout, or add LIMIT / narrow the MATCH)")
            finally:
                with contextlib.suppress(Exception):
                    driver.close()
        if "error" in outcome:
            raise outcome["error"]
        return outcome["keys"], outcome["rows"]

    def _console_work(self, driver: neo4j.Driver, text: str, params: dict, row_limit: int,
                      timeout: float, outcome: dict) -> None:
        try:
            with driver.session(database=self.database) as session:
                arcade = "ArcadeDB" in (self._agent_of(session) or "")
                if not arcade:
                    tx = session.begin_transaction(timeout=timeout)
                    try:
                        summary = tx.run("EXPLAIN " + text, params).consume()
                    except Neo4jError as error:
                        raise StoreError(_one_line(error)) from None
                    finally:
                        tx.rollback()
                    if summary.query_type != "r":
                        raise ReadOnlyViolation(_refusal(summary.query_type))
                tx = outcome["tx"] = session.begin_transaction(timeout=timeout)
                capped = False
                try:
                    result = tx.run(text, params)
                    keys = list(result.keys())
                    rows = []
                    for record in result:
                        if len(rows) >= row_limit:
                            capped = True
                            break
                        rows.append(record.data())
                    summary = None if capped else result.consume()
                except ClientError as error:
                    if "Forbidden" in (error.code or "") or "not allowed" in (error.message or ""):
                        raise ReadOnlyViolation("refused: the console is read-only "
                                                f"({_one_line(error)})") from None
                    raise StoreError(_one_line(error)) from None
                except Neo4jError as error:
                    raise StoreError(_one_line(error)) from None
                finally:
                    if capped:  # stop the stream where it is: no DISCARD, no drained rest
                        _cut(tx)
                    else:
                        with contextlib.suppress(Exception):
                            tx.rollback()
                if summary is not None and (summary.query_type not in ("r", None)
                                            or summary.counters.contains_updates
                                            or summary.counters.contains_system_updates):
                    raise ReadOnlyViolation(_refusal(summary.query_type))
                outcome["keys"], outcome["rows"] = keys, rows
        except StoreError as error:
            outcome["error"] = error
        except Exception as error:  # a cut connection, a lost server: one line for the caller
            if "error" not in outcome and "rows" not in outcome:
                outcome["error"] = StoreError(f"the query failed: {_one_line_any(error)}")

    @staticmethod
    def _agent_of(session) -> str | None:
        try:
            return session.run("RETURN 1").consume().server.agent
        except Neo4jError:
            return None


_console_lock = threading.Lock()


def _cut(tx) -> None:
    """Close a transaction's connection at once, without the DISCARD or ROLLBACK that would make
    the server produce the rest of a result first (the server drops the transaction)."""
    connection = getattr(tx, "_connection", None)
    raw = getattr(getattr(connection, "socket", None), "_socket", None)
    with contextlib.suppress(Exception):
        if raw is not None:
            raw.shutdown(socket.SHUT_RDWR)  # wakes a thread blocked reading from it
    with contextlib.suppress(Exception):
        connection.kill()


#: Seconds a holder started for a command stays up after its last client left.
HOLDER_IDLE = float(os.environ.get("KG_HOLDER_IDLE", "2"))


@contextlib.contextmanager
def _flocked(path: Path, waiting: str | None = None):
    """An exclusive lock on ``path`` (across processes); ``waiting`` is said once if it is busy."""
    handle = open(path, "a+")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if waiting:
                print(waiting, file=sys.stderr, flush=True)
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        handle.close()


def live_leases(home: Path) -> list[Path]:
    """The client leases of a store whose processes are alive; dead ones are removed."""
    alive = []
    for lease in (home / "clients").glob("*"):
        try:
            os.kill(int(lease.name.split("-", 1)[0]), 0)
        except ProcessLookupError:
            with contextlib.suppress(FileNotFoundError):
                lease.unlink()
            continue
        except (ValueError, PermissionError):
            pass
        alive.append(lease)
    return alive


def serve_until_idle(store: "EmbeddedStore", idle: float, poll: float = 0.25) -> None:
    """Hold ``store`` until no client has held a lease for ``idle`` seconds, then unpublish its
    endpoint (under the lease lock, so no client can pick it up after) and return."""
    idle_since: float | None = None
    while True:
        time.sleep(poll)
        with _flocked(store.home / "clients.lock"):
            if live_leases(store.home):
                idle_since = None
                continue
            idle_since = idle_since or time.monotonic()
            if time.monotonic() - idle_since >= idle:
                with contextlib.suppress(FileNotFoundError):
                    (store.home / "endpoint.json").unlink()
                return


def _one_line_any(error: BaseException) -> str:
    text = error.message if isinstance(error, Neo4jError) and error.message else str(error)
    return " ".join(text.split())[:300] or type(error).__name__


_open_stores: "weakref.WeakSet[BoltStore]" = weakref.WeakSet()


@functools.cache
def _shutdown_at_exit() -> None:
    """Close what is still open when the interpreter ends.

    Open Bolt connections keep ArcadeDB's connection threads alive, and those
    keep the JVM (and so the process: Streamlit on SIGTERM, pytest) from
    exiting; so drivers close first, then the servers stop. Registered after
    JPype's own exit hook, so it runs before the JVM is shut down.
    """
    def shutdown():
        for store in list(_open_stores):
            with contextlib.suppress(Exception):
                store.close()
        for server in list(_servers.values()):
            with contextlib.suppress(Exception):
                server.stop()
        if os.environ.get("KG_EXIT_AFTER_CLOSE") == "1":
            # the explorer under `kg app`: its stores are closed; the JVM's own shutdown can wait
            # forever on threads Streamlit's script runners attached, so the process ends here
            logging.shutdown()
            os._exit(0)

    atexit.register(shutdown)


_SCALARS = (str, int, float, bool, type(None))


def _plain(value: Any, maps: bool = True) -> bool:
    """A scalar, a list of scalars, or a map of those: what the named queries
    return (``properties(n)`` included), and what needs no conversion."""
    if isinstance(value, _SCALARS):
        return True
    if type(value) is list:
        return all(isinstance(item, _SCALARS) for item in value)
    return maps and type(value) is dict and all(_plain(item, maps=False) for item in value.values())


def _record_dict(keys: list[str], record: neo4j.Record) -> dict:
    """A record as a dict. ``record.data()`` walks every value to turn nodes and
    relationships into dicts: 236 ms for the 4,237 rows of the entity index,
    17 ms zipped. Rows of plain values (``_plain``) are zipped; others still go
    through ``data()``."""
    values = record.values()
    if all(_plain(value) for value in values):
        return dict(zip(keys, values))
    return record.data()


def _batches(records: Iterable[dict], size: int) -> Iterator[list[dict]]:
    batch: list[dict] = []
    for record in records:
        batch.append(record)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _one_line(error: Neo4jError) -> str:
    message = (error.message or str(error)).strip().splitlines()
    text = message[0] if message else ""
    if len(text.split()) < 3:  # ArcadeDB says just "kg" (the database's name) when it closes mid-query
        text = f"{error.code or error.__class__.__name__}: {text}".rstrip(": ")
        if "DatabaseError" in text:
            text = f"the store stopped or dropped the query ({text})"
    return text


def _refusal(query_type: str | None) -> str:
    kind = {"w": "writes", "rw": "reads and writes", "s": "changes the schema"}.get(query_type or "", "is not a read")
    return f"refused: the console is read-only and this query {kind}; nothing was changed"


# --- the embedded ArcadeDB store -------------------------------------------------

#: ArcadeDB's own log level (java.util.logging): SEVERE keeps the terminal
#: clean; KG_DB_LOG=WARNING or INFO shows what the database says.
_JUL_CONFIG = "handlers=java.util.logging.ConsoleHandler\n.level={level}\n" \
              "java.util.logging.ConsoleHandler.level={level}\n"
_READER_GROUP = {"resultSetLimit": 100000, "readTimeout": 30000, "access": [],
                 "types": {"*": {"access": ["readRecord"]}}}
_servers: dict[Path, "_ArcadeServer"] = {}
_servers_lock = threading.Lock()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _write_private(path: Path, data: dict) -> None:
    """Write JSON readable by the owner only (credentials, endpoints)."""
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(data, handle)
    os.replace(tmp, path)


@contextlib.contextmanager
def _quiet_stderr():
    """Keep the JVM's start-up notices off the user's terminal."""
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def _start_jvm(home: Path) -> None:
    from arcadedb_embedded import jvm

    if jvm.jpype.isJVMStarted():
        return
    logging_config = home / "logging.properties"
    logging_config.write_text(_JUL_CONFIG.format(level=os.environ.get("KG_DB_LOG", "SEVERE")))
    heap = os.environ.get("KG_JVM_HEAP", "2g")
    os.environ.setdefault("ARCADEDB_JVM_ERROR_FILE", str(home / "hs_err_pid%p.log"))
    # -Xrs: the JVM installs no SIGTERM/SIGINT handlers of its own, so Python's decide how a kg
    # process stops (closing its stores first); with them, a signal started the JVM's shutdown
    # under the running Python code (a hung or crashed exit, a stale endpoint file)
    flags = ["-Xrs", f"-Djava.util.logging.config.file={logging_config}", *_jvm_collector_flags()]
    with _quiet_stderr():
        jvm.start_jvm(heap_size=heap, jvm_args=flags)


def _jvm_collector_flags() -> list[str]:
    """The parallel collector, and no full collections on request.

    On two cores G1's concurrent threads compete with the one thread that
    answers a query: the named queries' p95 on the 100,000-paper graph was
    about a third lower with the parallel collector (bench/README.md). JPype asks Java for a
    full collection (``System.gc()``) when Python's collector runs, a 25-40 ms
    pause in the middle of whatever query is running; Java's own collections
    free the same memory. A collector chosen in ``ARCADEDB_JVM_ARGS`` is kept.
    """
    chosen = os.environ.get("ARCADEDB_JVM_ARGS", "")
    flags = ["-XX:+DisableExplicitGC"]
    if not re.search(r"-XX:\+Use\w*GC\b", chosen):
        flags.append("-XX:+UseParallelGC")
    return flags


#: ArcadeDB's names for the Cypher property types of ``schema.TYPED_PROPERTIES``.
_ARCADE_TYPES = {"INTEGER": "LONG", "FLOAT": "DOUBLE", "STRING": "STRING"}


class _ArcadeServer:
    """One in-process ArcadeDB server for a store directory (shared per process)."""

    def __init__(self, home: Path, secret: Credentials, port: int | None = None):
        self.home = home
        self.users = 0
        self.port = port or _free_port()
        _start_jvm(home)
        import arcadedb_embedded as arcadedb

        root = home / "arcadedb"
        self._install_reader_group(root)
        config = {
            "http_port": _free_port(),
            "host": "127.0.0.1",
            "server_plugins": "Bolt:com.arcadedb.bolt.BoltProtocolPlugin",
            "bolt_port": self.port,
        }
        self.server = arcadedb.create_server(str(root), root_password=secret.password, config=config)
        try:
            self.server.start()
        except Exception as error:  # ArcadeDBError wraps the Java cause
            raise StoreError(f"cannot start the embedded store in {home}: {error}") from None
        self._ensure_reader(secret)
        _shutdown_at_exit()

    @staticmethod
    def _install_reader_group(root: Path) -> None:
        """Add a read-only group to ArcadeDB's security config before start."""
        groups_file = root / "config" / "server-groups.json"
        if groups_file.exists():
            groups = json.loads(groups_file.read_text())
        else:  # a new store: ArcadeDB's default groups, plus ours
            groups_file.parent.mkdir(parents=True, exist_ok=True)
            groups = {"databases": {"*": {"groups": {
                "admin": {"resultSetLimit": -1, "readTimeout": -1,
                          "access": ["updateSecurity", "updateSchema", "updateDatabaseSettings"],
                          "types": {"*": {"access": ["createRecord", "readRecord",
                                                     "updateRecord", "deleteRecord"]}}},
                "*": {"resultSetLimit": -1, "readTimeout": -1, "access": [],
                      "types": {"*": {"access": []}}}}}}, "version": 2}
        all_dbs = groups.setdefault("databases", {}).setdefault("*", {}).setdefault("groups", {})
        if all_dbs.get("reader") != _READER_GROUP:
            all_dbs["reader"] = _READER_GROUP
            groups_file.write_text(json.dumps(groups, indent=2))

    def _ensure_reader(self, secret: Credentials) -> None:
        import jpype

        security = self.server._java_server.getSecurity()
        if not security.existsUser(secret.reader_user):
            JSONObject = jpype.JClass("com.arcadedb.serializer.json.JSONObject")
            user = {"name": secret.reader_user,
                    "password": str(security.encodePassword(secret.reader_password)),
                    "databases": {"*": ["reader"]}}
            security.createUser(JSONObject(json.dumps(user)))

    def database(self, name: str) -> None:
        database = self.server.create_database(name)  # get-or-create
        for (label, prop), kind in schema.TYPED_PROPERTIES.items():
            database.command("sql", f"CREATE VERTEX TYPE `{label}` IF NOT EXISTS")
            database.command("sql", f"CREATE PROPERTY `{label}`.`{prop}` IF NOT EXISTS "
                                    f"{_ARCADE_TYPES[kind]}")

    def stop(self) -> None:
        if self.server.is_started():
            self.server.stop()


class EmbeddedStore(BoltStore):
    """ArcadeDB in this process, reached over loopback Bolt like any server."""

    kind = "embedded"

    def __init__(self, path: str | Path = DEFAULT_STORE, database: str = "kg",
                 batch_size: int = DEFAULT_BATCH, bolt_port: int | None = None, holder: str | None = None):
        self.home = Path(path).expanduser().resolve()
        self.home.mkdir(parents=True, exist_ok=True)
        os.chmod(self.home, 0o700)
        secret = self._secret()
        self._lock_handle = None
        self._server = None
        self._lease: Path | None = None
        mode = holder or os.environ.get("KG_HOLDER", "process")
        if mode == "daemon" and self.home not in _servers:
            endpoint = self._client_of_holder()
        else:
            endpoint = self._hold_or_find_holder()
            if endpoint is not None:  # another process holds it: use it under a lease, so a
                endpoint = self._client_of_holder()  # holder started for a command stays up
        if endpoint is None:  # we hold the directory: start (or share) the server
            with _servers_lock:
                server = _servers.get(self.home)
                if server is None:
                    server = _servers[self.home] = _ArcadeServer(self.home, secret, bolt_port)
                server.users += 1
                server.database(database)
            self._server = server
            uri = f"bolt://127.0.0.1:{server.port}"
            _write_private(self.home / "endpoint.json", {"uri": uri, "pid": os.getpid()})
        else:
            uri = endpoint
        self.served_by_other_process = endpoint is not None
        super().__init__(uri, secret, database=database, batch_size=batch_size)

    def describe(self) -> str:
        how = "through the process holding it" if self.served_by_other_process else "in this process"
        return f"embedded ArcadeDB at {self.home} ({how}, {self.uri})"

    def _secret(self) -> Credentials:
        """The store's credentials, made once; concurrent first opens agree."""
        path = self.home / "secret.json"
        if not path.exists():
            data = {"user": "root",
                    "password": os.environ.get("KG_STORE_PASSWORD") or secrets.token_urlsafe(18),
                    "reader_user": "kg_reader", "reader_password": secrets.token_urlsafe(18)}
            draft = self.home / f"secret.{os.getpid()}.tmp"
            _write_private(draft, data)
            try:
                os.link(draft, path)  # atomic: the first process to get here wins
            except FileExistsError:
                pass
            finally:
                draft.unlink()
        return Credentials(**json.loads(path.read_text()))

    def _hold_or_find_holder(self) -> str | None:
        """Take the directory lock, or return the holder's Bolt endpoint.

        A holder publishes its endpoint only once its server is up, so a
        process that finds the lock taken waits (``KG_STORE_WAIT`` seconds,
        default 60) for the endpoint to answer, or for the lock to come free.
        """
        if self.home in _servers:  # this process already holds it
            return None
        deadline = time.monotonic() + float(os.environ.get("KG_STORE_WAIT", "60"))
        while True:
            handle = open(self.home / "lock", "a+")
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
            else:
                self._lock_handle = handle
                with contextlib.suppress(FileNotFoundError):  # a dead holder's address
                    (self.home / "endpoint.json").unlink()
                return None
            uri = self._published_endpoint()
            if uri:
                return uri
            if time.monotonic() > deadline:
                raise StoreBusy(f"the store {self.home} is busy: another process holds it "
                                "but does not answer; try again")
            time.sleep(0.25)

    # -- many commands, one store: a holder process of its own --------------------------------
    def _client_of_holder(self) -> str:
        """Reach the store through its holder, starting one (``kg serve --idle-exit``) if none
        runs. The holder outlives the command that started it while any client holds a lease
        (``clients/<pid>-…``), so short readers and long builds can come and go in any order;
        it exits :data:`HOLDER_IDLE` seconds after the last lease is gone."""
        (self.home / "clients").mkdir(exist_ok=True)
        with _flocked(self.home / "clients.lock"):
            self._lease = self.home / "clients" / f"{os.getpid()}-{id(self)}"
            self._lease.touch()
            uri = self._published_endpoint()
        if uri:
            return uri
        try:
            return self._start_holder()
        except BaseException:
            self._drop_lease()
            raise

    def _start_holder(self) -> str:
        deadline = time.monotonic() + float(os.environ.get("KG_STORE_WAIT", "60"))
        holder = self._spawn_holder()
        while time.monotonic() < deadline:
            uri = self._published_endpoint()
            if uri:
                return uri
            if holder.poll() is not None and not self._lock_taken():  # it gave up, and none holds the store
                holder = self._spawn_holder()
            time.sleep(0.1)
        raise StoreBusy(f"the store {self.home} did not come up within its wait: see {self.home / 'holder.log'}")

    def _spawn_holder(self) -> subprocess.Popen:
        """``kg serve --idle-exit`` for this store, detached, its output in ``holder.log``."""
        env = {k: v for k, v in os.environ.items() if k != "KG_HOLDER"}
        with open(self.home / "holder.log", "ab") as log:
            return subprocess.Popen(
                [sys.executable, "-m", "kg.cli", "serve", "--store", str(self.home), "--idle-exit", str(HOLDER_IDLE)],
                stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=env, start_new_session=True,
                cwd=str(Path(__file__).resolve().parent.parent))

    def _lock_taken(self) -> bool:
        with open(self.home / "lock", "a+") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(handle, fcntl.LOCK_UN)
            return False

    def _drop_lease(self) -> None:
        if self._lease is not None:
            with contextlib.suppress(FileNotFoundError):
                self._lease.unlink()
            self._lease = None

    def writing(self):
        """One writer at a time per database of this store, across processes: a second build
        waits (saying so once) instead of failing halfway."""
        return _flocked(self.home / f"write-{self.database}.lock",
                        waiting=f"waiting for another command writing to {self.home} to finish…")

    def _published_endpoint(self) -> str | None:
        """The holder's Bolt URI, if it is published and accepts connections."""
        try:
            data = json.loads((self.home / "endpoint.json").read_text())
            host, port = data["uri"].rsplit("//", 1)[1].rsplit(":", 1)
            with socket.create_connection((host, int(port)), timeout=2):
                return data["uri"]
        except (OSError, ValueError, KeyError):
            return None

    def close(self) -> None:
        super().close()
        self._drop_lease()
        if self._server is not None:
            with _servers_lock:
                self._server.users -= 1
                if self._server.users == 0:
                    self._server.stop()
                    _servers.pop(self.home, None)
                    with contextlib.suppress(FileNotFoundError):
                        (self.home / "endpoint.json").unlink()
                    if self._lock_handle is not None:
                        self._lock_handle.close()
            self._server = None


def open_store(spec: str | None = None, *, user: str | None = None, password: str | None = None,
               database: str | None = None, batch_size: int = DEFAULT_BATCH, holder: str | None = None) -> BoltStore:
    """Open the store named by ``--store``: a Bolt URI or an embedded directory."""
    spec = spec or os.environ.get("KG_STORE") or DEFAULT_STORE
    if spec.startswith(BOLT_SCHEMES):
        creds = Credentials(
            user=user or os.environ.get("NEO4J_USER", "neo4j"),
            password=password if password is not None else os.environ.get("NEO4J_PASSWORD", ""),
            reader_user=os.environ.get("KG_READER_USER"),
            reader_password=os.environ.get("KG_READER_PASSWORD"),
        )
        return BoltStore(spec, creds, database=database or os.environ.get("NEO4J_DATABASE"),
                         batch_size=batch_size)
    if "://" in spec:
        raise StoreError(f"unsupported store {spec!r}: use a directory or a bolt:// / neo4j:// URI")
    return EmbeddedStore(spec, database=database or os.environ.get("KG_DATABASE") or "kg", batch_size=batch_size,
                         holder=holder)
