"""The ``kg`` command line: build, extract, load, query, cypher, stats, app.

Every command takes ``--store`` (default ``$KG_STORE``, else ``./.kg``).
Errors are one line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import json
import logging
import os
import subprocess
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

app = typer.Typer(help="A knowledge graph of ML methods, datasets, tasks, metrics and results.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
out = Console()
err = Console(stderr=True)


class OutputFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


StoreOpt = Annotated[Optional[str], typer.Option("--store", "-s", envvar="KG_STORE",
                     help="Embedded store directory or bolt:// / neo4j:// URI [default: ./.kg]")]
UserOpt = Annotated[Optional[str], typer.Option("--user", envvar="NEO4J_USER",
                    help="Bolt user (password from $NEO4J_PASSWORD)")]
DatabaseOpt = Annotated[Optional[str], typer.Option("--database", help="Database name on a Bolt server")]
FormatOpt = Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format")]
InputFormatOpt = Annotated[Optional[str], typer.Option(
    "--format", help="Input format: listing, jsonl, csv, arxiv, scitldr [default: by extension/content]")]


def _fail(message: str, code: int = 1):
    message = " ".join(str(message).split())  # one line, whatever the driver's message held
    err.print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def friendly_errors(command):
    """Turn expected failures into one line and an exit code."""
    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        from kg.api import expected_errors, translate  # the API's messages, one implementation

        try:
            return command(*args, **kwargs)
        except expected_errors() as error:
            _fail(str(translate(error)))
        except KeyboardInterrupt:
            _fail("interrupted", 130)
    return wrapper


def _open(store: str | None, user: str | None = None, database: str | None = None):
    """The graph through the Python API: every command is a layer over :class:`kg.api.Graph`."""
    from kg.api import Graph
    from kg.stores import open_store

    return Graph(open_store(store, user=user, database=database))


def _emit(rows: list[dict], fmt: OutputFormat, columns: list[str] | None = None) -> None:
    columns = columns or (list(rows[0]) if rows else [])
    if fmt is OutputFormat.json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2, default=str) + "\n")
    elif fmt is OutputFormat.csv:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        from kg.export import formula_safe  # meant for people: no cell runs as a formula

        writer.writerows({k: formula_safe(_cell(v)) for k, v in row.items()} for row in rows)
        sys.stdout.write(buffer.getvalue())
    else:
        table = Table(show_lines=False)
        for column in columns:
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*(_cell(row.get(c)) for c in columns))
        out.print(table)
        out.print(f"{len(rows)} row(s)", style="dim")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _parse_params(pairs: list[str]) -> dict:
    params = {}
    for pair in pairs:
        if "=" not in pair:
            _fail(f"parameter {pair!r} is not key=value")
        key, value = pair.split("=", 1)
        params[key.strip()] = _coerce(value)
    return params


def _coerce(value: str):
    """A number, a JSON list (``-p methods='["BERT","GPT-2"]'``) or the text as given."""
    if value.startswith("[") and value.endswith("]"):
        try:
            items = json.loads(value)
        except json.JSONDecodeError:
            _fail(f"parameter value {value!r} is not a JSON list")
        if not all(isinstance(item, (str, int, float)) for item in items):
            _fail(f"parameter value {value!r} must list names or numbers")
        return items
    for cast in (int, float):
        try:
            return cast(value)
        except ValueError:
            pass
    return value


def _print_problems(report) -> None:
    """One line per bad record; exit code 3 later says some were skipped."""
    for problem in report.problems:
        tag = "" if problem.severity == "warning" else "[red]skipped:[/red] "
        err.print(f"{tag}{problem}", highlight=False, soft_wrap=True)


def _progress() -> Progress:
    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), console=err,
                    transient=False, disable=not err.is_terminal)


@app.command()
@friendly_errors
def build(inputs: Annotated[list[Path], typer.Argument(help="Paper files (listing, JSONL, CSV, arXiv XML, SciTLDR)")],
          store: StoreOpt = None, user: UserOpt = None, database: DatabaseOpt = None,
          input_format: InputFormatOpt = None,
          jobs: Annotated[int, typer.Option("-j", "--jobs", help="Extraction worker processes (1: in this process)")] = 1,
          batch_size: Annotated[int, typer.Option("--batch-size", help="Papers per load transaction")] = 500,
          strict: Annotated[bool, typer.Option("--strict", help="Stop at the first bad record")] = False):
    """Extract papers and load them into the graph (re-running changes nothing).

    Streams: papers already stored with the same text and extractor version
    are skipped before extraction; the rest are extracted (-j N processes)
    and loaded in batches, one transaction each, while extraction goes on."""
    import time

    from kg.build import count_papers, progress_bar

    if jobs < 1:
        _fail("--jobs must be at least 1")
    started = time.perf_counter()
    total = count_papers(inputs, input_format)
    with _open(store, user, database) as graph:
        progress, task = progress_bar(err, total)
        loaded = 0

        def on_loaded(count: int) -> None:
            nonlocal loaded
            loaded += count
            progress.update(task, note=f"{loaded:,} loaded")

        with progress:
            report = graph.add(list(inputs), format=input_format, strict=strict, jobs=jobs,
                               batch_size=batch_size, on_paper=lambda: progress.advance(task),
                               on_skipped=lambda count: progress.advance(task, count),
                               on_loaded=on_loaded)
            done = progress.tasks[0].completed
            progress.update(task, total=done, completed=done)
    _print_problems(report.ingest)
    err.print(report.summary() + f" in {time.perf_counter() - started:.1f}s", highlight=False)
    if not report.ingest.ok:
        raise typer.Exit(3)


@app.command()
@friendly_errors
def extract(inputs: Annotated[list[Path], typer.Argument(help="Paper files")],
            output: Annotated[Path, typer.Option("-o", "--output", help="Output JSONL ('-' for stdout); "
                                                 "a directory of shards with --scheduler")] = Path("-"),
            input_format: InputFormatOpt = None,
            jobs: Annotated[int, typer.Option("-j", "--jobs", help="Extraction worker processes "
                                              "(with --scheduler local: Dask workers)")] = 1,
            scheduler: Annotated[Optional[str], typer.Option(
                "--scheduler", help="Extract on Dask: a scheduler address (tcp://host:8786) or "
                "'local' for a LocalCluster; writes JSONL shards to -o DIR")] = None,
            shard_size: Annotated[int, typer.Option("--shard-size", help="Papers per Dask task and shard")] = 500,
            strict: Annotated[bool, typer.Option("--strict", help="Stop at the first bad record")] = False):
    """Extract entities, relations and results to JSONL (one object per paper)."""
    from kg.build import count_papers, extract_records, progress_bar
    from kg.ingest import IngestReport

    if jobs < 1:
        _fail("--jobs must be at least 1")
    report = IngestReport()
    progress, task = progress_bar(err, count_papers(inputs, input_format), "extracting")
    if scheduler:
        from kg.distributed import DaskMissing, extract_distributed

        if str(output) == "-":
            _fail("--scheduler writes shards: give a directory with -o")
        try:
            with progress:
                result = extract_distributed(inputs, output, scheduler=scheduler, fmt=input_format,
                                             strict=strict, workers=jobs, shard_size=shard_size,
                                             report=report,
                                             on_records=lambda n: progress.advance(task, n))
        except DaskMissing as error:
            _fail(str(error))
        except OSError as error:
            _fail(f"cannot reach the Dask scheduler {scheduler}: {error}")
        _print_problems(report)
        err.print(f"{report.summary()}; wrote {result.records} records in {result.shards} shards "
                  f"to {result.output} ({result.workers} workers)", highlight=False)
        if not report.ok:
            raise typer.Exit(3)
        return
    handle = sys.stdout if str(output) == "-" else open(output, "w", encoding="utf-8")
    count = 0
    try:
        with progress:
            for record in extract_records(inputs, fmt=input_format, strict=strict, jobs=jobs,
                                          report=report, on_paper=lambda: progress.advance(task)):
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
                count += 1
    finally:
        if handle is not sys.stdout:
            handle.close()
    _print_problems(report)
    err.print(f"{report.summary()}; wrote {count} records to {output}", highlight=False)
    if not report.ok:
        raise typer.Exit(3)


@app.command()
@friendly_errors
def load(shards: Annotated[list[Path], typer.Argument(help="Extraction JSONL files or directories "
                                                      "of them (from 'kg extract')")],
         store: StoreOpt = None, user: UserOpt = None, database: DatabaseOpt = None,
         batch_size: Annotated[int, typer.Option("--batch-size", help="Papers per load transaction")] = 500):
    """Load extraction JSONL (from 'kg extract') into a store."""
    from kg.build import count_records, progress_bar, record_files

    files = record_files(shards)  # a missing one: Graph.load's (and count_records') one-line error
    progress, task = progress_bar(err, count_records(files), "loading")
    with _open(store, user, database) as graph, progress:
        report = graph.load(list(files), batch_size=batch_size, progress=lambda n: progress.advance(task, n))
    err.print(f"loaded {report.papers} papers ({report.unchanged} unchanged), "
              f"{report.rows} rows", highlight=False)


@app.command()
@friendly_errors
def query(name: Annotated[Optional[str], typer.Argument(help="Named query from cypher/queries/ (omit to list)")] = None,
          param: Annotated[list[str], typer.Option("-p", "--param", help="key=value")] = [],
          store: StoreOpt = None, user: UserOpt = None, database: DatabaseOpt = None,
          fmt: FormatOpt = OutputFormat.table):
    """Run a named query, e.g. kg query methods-on-dataset -p dataset=COCO."""
    from kg.queries import named_queries

    if name is None:
        rows = [{"query": q.name, "parameters": ", ".join(q.parameters), "answers": q.question}
                for q in named_queries().values()]
        _emit(rows, fmt)
        return
    with _open(store, user, database) as graph:
        columns, rows = graph.rows(name, **_parse_params(param))
    _emit(rows, fmt, columns if rows and columns and set(columns) <= set(rows[0]) else None)


@app.command()
@friendly_errors
def cypher(text: Annotated[str, typer.Argument(help="A read-only Cypher query")],
           param: Annotated[list[str], typer.Option("-p", "--param", help="key=value")] = [],
           limit: Annotated[int, typer.Option("--limit", help="Row cap")] = 1000,
           timeout: Annotated[float, typer.Option("--timeout", help="Seconds")] = 10.0,
           store: StoreOpt = None, user: UserOpt = None, database: DatabaseOpt = None,
           fmt: FormatOpt = OutputFormat.table):
    """Run read-only Cypher (writes are refused by the database and rolled back)."""
    with _open(store, user, database) as graph:
        columns, rows = graph.cypher_rows(text, _parse_params(param), limit=limit, timeout=timeout)
    _emit(rows, fmt, columns)


@app.command()
@friendly_errors
def stats(store: StoreOpt = None, user: UserOpt = None, database: DatabaseOpt = None,
          fmt: FormatOpt = OutputFormat.table,
          analysis: Annotated[bool, typer.Option("--analysis", help="Also: most-evaluated datasets, "
                                                 "central methods (PageRank), co-evaluation communities")] = False,
          top: Annotated[int, typer.Option("--top", help="Rows per analysis table")] = 10):
    """Count nodes per label and relationships per type."""
    with _open(store, user, database) as graph:
        counts = graph.stats()
        summary = graph.analysis(top) if analysis else None
    rows = [{"kind": "node", "name": k, "count": v} for k, v in counts["nodes"].items()]
    rows += [{"kind": "relationship", "name": k, "count": v} for k, v in counts["relations"].items()]
    if summary is None:
        _emit(rows, fmt, ["kind", "name", "count"])
        return
    if fmt is OutputFormat.json:
        sys.stdout.write(json.dumps({"counts": rows, "analysis": summary}, indent=2, default=str) + "\n")
        return
    _emit(rows, fmt, ["kind", "name", "count"])
    for title in ("most_evaluated_datasets", "central_methods"):
        out.print(f"\n[bold]{title.replace('_', ' ')}[/bold]")
        _emit(summary[title], fmt)
    out.print("\n[bold]co-evaluation communities[/bold]")
    _emit([{"community": i + 1, "datasets": ", ".join(c)} for i, c in enumerate(summary["communities"])], fmt)


@app.command()
@friendly_errors
def export(output: Annotated[Path, typer.Option("-o", "--output", help="File (graphml, gexf, json) or directory (csv)")],
           export_format: Annotated[str, typer.Option("--format", "-f", help="graphml, gexf, json or csv")] = "graphml",
           around: Annotated[Optional[str], typer.Option("--around", help="Only the neighbourhood of Label:name, e.g. Dataset:COCO")] = None,
           hops: Annotated[int, typer.Option("--hops", help="Neighbourhood radius with --around")] = 1,
           store: StoreOpt = None, user: UserOpt = None, database: DatabaseOpt = None):
    """Export the graph (or one neighbourhood) for networkx, Gephi, pandas or neo4j-admin import."""
    with _open(store, user, database) as graph:
        report = graph.export(output, export_format, around=around, hops=hops)
    err.print(f"wrote {report['nodes']} nodes and {report['relationships']} relationships "
              f"as {export_format} to {report['path']}", highlight=False)


@app.command()
@friendly_errors
def remove(paper_ids: Annotated[list[str], typer.Argument(help="Paper ids to remove")],
           store: StoreOpt = None, user: UserOpt = None, database: DatabaseOpt = None):
    """Remove papers, their edges and results; entities other papers share stay."""
    with _open(store, user, database) as graph:
        removed = graph.remove(list(paper_ids))
    err.print(f"removed {removed} paper(s)", highlight=False)
    if removed < len(paper_ids):
        raise typer.Exit(4)


@app.command()
@friendly_errors
def serve(store: StoreOpt = None,
          port: Annotated[Optional[int], typer.Option("--port", help="Bolt port on 127.0.0.1 [default: any free]")] = None,
          idle_exit: Annotated[Optional[float], typer.Option("--idle-exit", help="Stop once no kg command has used the store for this many seconds (how commands start their holder)")] = None):
    """Hold the embedded store and serve it over Bolt on loopback until stopped."""
    import signal

    from kg.stores import EmbeddedStore, StoreError, serve_until_idle

    def stop(*_):
        raise KeyboardInterrupt

    if signal.getsignal(signal.SIGTERM) in (signal.SIG_DFL, None):  # not under main()'s handler
        signal.signal(signal.SIGTERM, stop)
    home = store or os.environ.get("KG_STORE") or "./.kg"
    graph = EmbeddedStore(home, bolt_port=port, holder="process")
    if graph.served_by_other_process:
        graph.close()
        if idle_exit is not None:  # started for a command, but another holder came first
            return
        # held by a holder a command started: keep it serving (a lease) until stopped
        graph = EmbeddedStore(home, holder="daemon")
        if port and not graph.uri.endswith(f":{port}"):
            err.print(f"note: the store was already served at {graph.uri}; --port {port} not used",
                      highlight=False)
    try:
        print(graph.uri, flush=True)
        err.print(f"serving {graph.describe()}; credentials in {graph.home / 'secret.json'}; "
                  "Ctrl-C to stop", highlight=False)
        if idle_exit is None:
            signal.pause()
        else:
            serve_until_idle(graph, idle_exit)
    except KeyboardInterrupt:
        pass
    finally:
        graph.close()


@app.command("eval")
@friendly_errors
def evaluate(datasets: Annotated[Optional[Path], typer.Option("--datasets", help="Folder with tdmsci/, scirex/, scierc/, scier/ (e.g. ../shared/datasets)")] = None,
             data_format: Annotated[Optional[str], typer.Option("--data-format", help="With --file: tdmsci, scirex, scierc or scier")] = None,
             file: Annotated[Optional[Path], typer.Option("--file", help="One annotated file (with --data-format)")] = None,
             split: Annotated[str, typer.Option("--split", help="train, dev, test or all (entities: with --file; results, relations: dev or test)")] = "test",
             system: Annotated[list[str], typer.Option("--system", help="ner, rules, pipeline, graph (repeatable)")] = [],
             results: Annotated[bool, typer.Option("--results", help="Score reported results on the hand-annotated results set instead of entities")] = False,
             results_file: Annotated[Optional[Path], typer.Option("--results-file", help="With --results: the annotations (default data/results-dev/results.jsonl)")] = None,
             relations: Annotated[bool, typer.Option("--relations", help="Score entities reaching the graph and relations per type on the hand-annotated relations set")] = False,
             relations_file: Annotated[Optional[Path], typer.Option("--relations-file", help="With --relations: the annotations (default data/relations-dev/gold.jsonl)")] = None,
             errors: Annotated[int, typer.Option("--errors", help="With --results or --relations: also list the error classes, with up to N examples each")] = -1,
             agreement: Annotated[bool, typer.Option("--agreement", help="With --results or --relations: score the second annotator's files (agreement/) against the first instead of the extractor")] = False,
             fmt: FormatOpt = OutputFormat.table):
    """Score extraction on held-out annotated data: entities (exact-span P/R/F1 per type); with
    --results, reported results (value, metric, dataset, method) on the results set; with
    --relations, entities and relations per type on the relations set."""
    if relations:
        from extractors import relations_eval

        path = relations_file or relations_eval.DEFAULT_FILE
        try:
            report = relations_eval.agreement(path) if agreement else relations_eval.evaluate(path, split)
        except relations_eval.RelationsDataError as error:
            _fail(str(error))
        _emit(relations_eval.rows(report, "agreement" if agreement else split), fmt)
        if errors >= 0:
            _emit(relations_eval.confusion_rows(report), fmt)
            _emit(relations_eval.error_rows(report, errors), fmt)
        return
    if results:
        from extractors import results_eval

        path = results_file or results_eval.DEFAULT_FILE
        try:
            report = results_eval.agreement(path) if agreement else results_eval.evaluate(path, split)
        except results_eval.ResultsDataError as error:
            _fail(str(error))
        _emit(results_eval.rows(report, "agreement" if agreement else split), fmt)
        if errors >= 0:
            _emit(results_eval.error_rows(report, errors), fmt)
        return
    from kg import evaluation

    if file is not None:
        if not data_format:
            _fail("--file needs --data-format (tdmsci, scirex, scierc or scier)")
        sets = [(data_format, file, split)]
    elif datasets is not None:
        sets = [(f, datasets / rel, s) for f, rel, s in evaluation.DEFAULT_SETS if (datasets / rel).exists()]
        if not sets:
            _fail(f"{datasets}: none of {', '.join(r for _, r, _ in evaluation.DEFAULT_SETS)} found")
    else:
        _fail("give --datasets DIR, or --data-format F --file PATH, or --results, or --relations")
    try:
        rows = evaluation.run(sets, systems=system or evaluation.SYSTEMS)
    except ValueError as error:
        _fail(str(error))
    _emit(rows, fmt)


@app.command("app")
@friendly_errors
def run_app(store: StoreOpt = None,
            port: Annotated[int, typer.Option("--port", help="HTTP port")] = 8501,
            address: Annotated[str, typer.Option("--address", help="Bind address")] = "127.0.0.1"):
    """Start the Streamlit explorer on the store."""
    import importlib.util

    spec = importlib.util.find_spec("app")
    if spec is None or spec.origin is None:
        _fail("the explorer (app.py) is not installed")
    env = dict(os.environ)
    if store:
        env["KG_STORE"] = store
    env["KG_EXIT_AFTER_CLOSE"] = "1"  # the explorer ends once its store is closed (kg/stores.py)
    err.print(f"explorer at http://{address}:{port}/ (store: {store or os.environ.get('KG_STORE') or './.kg'}; "
              "Ctrl-C to stop)", highlight=False)
    command = [sys.executable, "-m", "streamlit", "run", spec.origin, "--server.port", str(port),
               "--server.address", address, "--browser.gatherUsageStats", "false",
               "--server.headless", "true", "--server.maxUploadSize", "20"]
    raise typer.Exit(supervise(command, env=env))


#: Seconds a child gets to stop after SIGTERM before it is killed.
STOP_GRACE = 4.0


def supervise(command: list[str], env: dict[str, str]) -> int:
    """Run ``command`` until it ends; SIGTERM or Ctrl-C here stops it (SIGTERM, then SIGKILL
    after :data:`STOP_GRACE` seconds; a second Ctrl-C kills at once), so no process outlives
    the command that started it. Its exit status is returned."""
    import signal
    import time

    child = subprocess.Popen(command, env=env)
    stopping: list[float] = []

    def stop(signum, _frame):
        if stopping and signum == signal.SIGINT:
            child.kill()  # a second Ctrl-C
            return
        if not stopping:
            stopping.append(time.monotonic())
            with contextlib.suppress(ProcessLookupError):
                child.send_signal(signal.SIGTERM)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        while True:
            try:
                return child.wait(timeout=0.2)
            except subprocess.TimeoutExpired:
                if stopping and time.monotonic() - stopping[0] > STOP_GRACE:
                    child.kill()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def stop_on_signals() -> None:
    """SIGTERM stops a kg command as Ctrl-C does (KeyboardInterrupt: transactions roll back, the
    store closes, its endpoint file goes, the exit status is 130). A command still running
    :data:`STOP_GRACE` seconds later, or a second signal, ends at once with its worker processes."""
    import multiprocessing
    import signal
    import threading

    stopping: list[bool] = []

    def now() -> None:
        for child in multiprocessing.active_children():
            with contextlib.suppress(Exception):
                child.kill()
        os._exit(130)

    def stop(_signum, _frame):
        if stopping:
            now()
        stopping.append(True)
        timer = threading.Timer(STOP_GRACE, now)
        timer.daemon = True
        timer.start()
        raise KeyboardInterrupt

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, stop)


def main():  # pragma: no cover - console script entry
    stop_on_signals()
    # the driver logs each retry of a failed transaction as a multi-line warning; a command's
    # errors are one line (friendly_errors)
    logging.getLogger("neo4j").setLevel(logging.CRITICAL)
    # commands reach an embedded store through a holder process of its own (started on demand,
    # gone when idle), so any number of them, and the explorer, can come and go in any order
    os.environ.setdefault("KG_HOLDER", "daemon")
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
