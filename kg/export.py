"""Export the graph (or one entity's neighbourhood) to files other tools open.

One read/write module, networkx style:

* ``to_networkx(store, around=None, hops=1)`` reads the store through the
  named queries ``export-*`` of ``cypher/queries/`` into a ``MultiDiGraph``.
  Node ids are ``"Label:key"`` (stable across builds and stores); each node
  carries ``label`` and ``key`` plus its properties, each edge ``type`` plus
  its properties (provenance: ``paper``, ``evidence``, ``confidence`` …).
* ``write(graph, fmt, path)`` writes GraphML, GEXF (Gephi), node-link JSON, or
  CSV in the header format of ``neo4j-admin database import`` (a directory of
  ``nodes_<Label>.csv`` / ``relationships_<TYPE>.csv`` plus ``import.sh`` with
  the exact import command), so a huge graph can be bulk-loaded offline.
* ``to_bytes(graph, fmt)`` gives the same as bytes for a download button
  (CSV as one zip).
* ``export(store, fmt, path, around=None, hops=1)`` does both and returns counts.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import shlex
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import networkx as nx

from kg import schema

FORMATS = ("graphml", "gexf", "json", "csv")

#: What ``to_bytes`` hands to a download button: (mime type, file name).
DOWNLOADS = {
    "graphml": ("application/graphml+xml", "ml-kg.graphml"),
    "gexf": ("application/gexf+xml", "ml-kg.gexf"),
    "json": ("application/json", "ml-kg.json"),
    "csv": ("application/zip", "ml-kg-csv.zip"),
}

#: Array delimiters tried for the CSV export, neo4j-admin's default first.
ARRAY_DELIMITERS = (";", "|", "\u001f")



# --- reading the store --------------------------------------------------------

def node_id(label: str, key: str) -> str:
    """The stable id of a node in every export: ``Label:key``."""
    return f"{label}:{key}"


def parse_around(text: str) -> tuple[str, str]:
    """``"Dataset:COCO"`` → ``("Dataset", "COCO")`` (label case-insensitive; the name may hold ':')."""
    label, sep, name = text.partition(":")
    canonical = {known.lower(): known for known in schema.NODE_LABELS}.get(label.strip().lower())
    if not sep or not name.strip() or canonical is None:
        raise ValueError(f"--around takes Label:name with a label among {', '.join(schema.NODE_LABELS)}; "
                         f"got {text!r}")
    return canonical, name.strip()


def find(store, label: str, name: str) -> list[str]:
    """Ids of the ``label`` nodes called ``name`` (key, name, title or alias)."""
    if label not in schema.NODE_LABELS:
        raise ValueError(f"unknown label {label!r}; one of: {', '.join(schema.NODE_LABELS)}")
    rows = store.run_named("export-find", {"label": label, "name": name})
    if not rows and label in schema.ENTITY_LABELS:  # 'ms coco' finds key 'mscoco'
        key = schema.entity_key(name)
        if key and key != name:
            rows = store.run_named("export-find", {"label": label, "name": key})
    return [row["id"] for row in rows]


def neighbourhood(store, centres: Iterable[str], hops: int = 1) -> set[str]:
    """Ids of the nodes at most ``hops`` relationships (either way) from ``centres``."""
    if hops < 0:
        raise ValueError("hops must be 0 or more")
    seen = set(centres)
    frontier = sorted(seen)
    for _ in range(hops):
        if not frontier:
            break
        rows = store.run_named("export-neighbours", {"ids": frontier})
        found = set(rows[0]["ids"]) if rows else set()
        frontier = sorted(found - seen)
        seen |= found
    return seen


def to_networkx(store, around: tuple[str, str] | None = None, hops: int = 1) -> nx.MultiDiGraph:
    """The whole graph, or the neighbourhood of one entity, as a ``MultiDiGraph``.

    ``around=("Dataset", "COCO")`` keeps the nodes within ``hops`` relationships
    of the dataset called (or aliased, or keyed) COCO, in either direction, and
    every relationship among them. Raises ``LookupError`` if nothing is called
    that, ``ValueError`` for a label the schema does not have.

    A node's ``id`` property that merely repeats its key (a paper's id) is left
    out, so node-link JSON (whose node id field is ``id``) round-trips.
    """
    graph = nx.MultiDiGraph(name="ml-kg")
    ids = None
    if around is not None:
        label, name = around
        centres = find(store, label, name)
        if not centres:
            raise LookupError(f"no {label} called {name!r} in the graph")
        ids = sorted(neighbourhood(store, centres, hops))
        graph.graph.update(around=f"{label}:{name}", hops=hops)
    for row in store.run_named("export-nodes", {"ids": ids}):
        attrs = {k: _plain(v) for k, v in (row["properties"] or {}).items()
                 if v is not None and k != schema.NAME_RANK}
        if attrs.get("id") == row["key"]:
            del attrs["id"]  # a paper's id is its key: one copy (node-link JSON uses 'id')
        attrs.update(label=row["label"], key=row["key"])
        graph.add_node(row["id"], **attrs)
    for row in store.run_named("export-relationships", {"ids": ids}):
        source, target = row["source"], row["target"]
        if source not in graph or target not in graph:
            continue
        attrs = {k: _plain(v) for k, v in (row["properties"] or {}).items() if v is not None}
        attrs["type"] = row["type"]
        key = f"{row['type']}:{attrs['paper']}" if attrs.get("paper") else row["type"]
        if graph.has_edge(source, target, key):
            key = graph.new_edge_key(source, target)
        graph.add_edge(source, target, key=key, **attrs)
    return graph


def _plain(value: Any) -> Any:
    """Driver values as plain Python (temporal values as ISO strings)."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    iso = getattr(value, "iso_format", None)
    return iso() if callable(iso) else str(value)


# --- writing ------------------------------------------------------------------

def export(store, fmt: str, path: str | Path, around: tuple[str, str] | None = None,
           hops: int = 1) -> dict:
    """Read the graph (or a neighbourhood) and write it; return what was written."""
    _check_format(fmt)
    graph = to_networkx(store, around=around, hops=hops)
    files = write(graph, fmt, path)
    return {"format": fmt, "path": str(path), "nodes": graph.number_of_nodes(),
            "relationships": graph.number_of_edges(), "files": [str(f) for f in files]}


def write(graph: nx.MultiDiGraph, fmt: str, path: str | Path) -> list[Path]:
    """Write ``graph`` as graphml, gexf, json (a file) or csv (a directory).

    Returns the files written.
    """
    _check_format(fmt)
    path = Path(path)
    if fmt == "csv":
        path.mkdir(parents=True, exist_ok=True)
        return [path / name for name in write_csv(graph, lambda name: open(path / name, "w", newline="",
                                                                          encoding="utf-8"))]
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        _write_file(graph, fmt, handle)
    return [path]


def to_bytes(graph: nx.MultiDiGraph, fmt: str) -> tuple[bytes, str, str]:
    """``(data, mime type, file name)`` for a download; CSV comes as one zip."""
    _check_format(fmt)
    mime, filename = DOWNLOADS[fmt]
    buffer = io.BytesIO()
    if fmt == "csv":
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            @contextmanager
            def opener(name):
                with archive.open(name, "w") as raw, \
                        io.TextIOWrapper(raw, encoding="utf-8", newline="") as text:
                    yield text
            write_csv(graph, opener)
    else:
        _write_file(graph, fmt, buffer)
    return buffer.getvalue(), mime, filename


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; one of: {', '.join(FORMATS)}")


def _write_file(graph: nx.MultiDiGraph, fmt: str, handle: IO[bytes]) -> None:
    if fmt == "graphml":
        nx.write_graphml(for_graphml(graph), handle, infer_numeric_types=True)
    elif fmt == "gexf":
        nx.write_gexf(for_gexf(graph), handle)
    else:
        data = node_link_data(graph)
        handle.write(json.dumps(data, ensure_ascii=False, default=str, indent=1).encode("utf-8"))


def node_link_data(graph: nx.Graph) -> dict:
    """networkx node-link data with the edge list under ``edges``."""
    try:
        return nx.node_link_data(graph, edges="edges")
    except TypeError:  # networkx < 3.4 names the argument 'link'
        return nx.node_link_data(graph, link="edges")


# --- GraphML and GEXF ------------------------------------------------------------

def _flat(value: Any) -> Any:
    """A value GraphML/GEXF can hold: lists and maps JSON-encoded."""
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False, default=str)  # lossless, one string
    if isinstance(value, (str, bool, int, float)):
        return value
    return str(value)


def _unify(items: Iterable[dict]) -> None:
    """Give every attribute one type across all items (in place).

    GraphML and GEXF declare one type per attribute: ints mixed with floats
    become floats, any other mixture becomes strings.
    """
    items = list(items)
    kinds: dict[str, set[type]] = defaultdict(set)
    for data in items:
        for name, value in data.items():
            kinds[name].add(type(value))
    for name, found in kinds.items():
        if len(found) < 2:
            continue
        cast = float if found <= {int, float} else str
        for data in items:
            if name in data:
                value = data[name]
                data[name] = str(value).lower() if cast is str and isinstance(value, bool) else cast(value)


#: What XML 1.0 cannot hold: C0 controls but tab, newline and return; lone surrogates; U+FFFE/F.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(value: Any) -> Any:
    """``value`` with what XML cannot hold replaced by U+FFFD (same length: offsets stay)."""
    return _NOT_XML.sub("\ufffd", value) if isinstance(value, str) else value


#: Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(value: Any) -> Any:
    """A CSV cell meant for people: text that a spreadsheet would run as a formula gets a leading
    quote, as OWASP recommends; numbers ("-1.5") stay as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        try:
            float(value)
        except ValueError:
            return "'" + value
    return value


def _flatten(graph: nx.MultiDiGraph, node_attrs: Callable[[dict], dict],
             edge_attrs: Callable[[dict], dict]) -> nx.MultiDiGraph:
    """A copy for the XML formats: flat attribute values, XML-safe text."""
    flat = nx.MultiDiGraph()
    flat.graph.update({k: xml_safe(_flat(v)) for k, v in graph.graph.items() if v is not None})
    for node, data in graph.nodes(data=True):
        flat.add_node(xml_safe(node), **node_attrs({k: xml_safe(_flat(v)) for k, v in data.items() if v is not None}))
    for u, v, key, data in graph.edges(keys=True, data=True):
        flat.add_edge(xml_safe(u), xml_safe(v), key=xml_safe(key),
                      **edge_attrs({k: xml_safe(_flat(v)) for k, v in data.items() if v is not None}))
    _unify(data for _, data in flat.nodes(data=True))
    _unify(data for *_, data in flat.edges(keys=True, data=True))
    return flat


def for_graphml(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy GraphML can store: no None values, lists JSON-encoded, one type per attribute."""
    return _flatten(graph, lambda d: d, lambda d: d)


#: GEXF gives these attribute names a meaning of its own (time spans, edge kind).
_GEXF_RENAMES = {"start": "span_start", "end": "span_end", "key": "kg_key", "id": "kg_id",
                 "pid": "kg_pid", "weight": "kg_weight", "viz": "kg_viz"}


def for_gexf(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy for Gephi: node label = display name, edge label = relation type.

    GEXF reserves ``label``, ``id``, ``start``/``end`` (time spans) and an
    edge's ``type`` (directed or not), and networkx writes ``key`` as
    ``networkx_key``; so the node label travels as ``node_label``, the
    relation type as ``relation`` (and as the edge label), ``key`` as
    ``kg_key`` and text offsets as ``span_start``/``span_end``.
    """
    def nodes(data: dict) -> dict:
        out = {_GEXF_RENAMES.get(k, k): v for k, v in data.items() if k != "label"}
        if "label" in data:
            out["node_label"] = data["label"]
        out["label"] = str(data.get("name") or data.get("title") or data.get("key") or "")
        return out

    def edges(data: dict) -> dict:
        out = {_GEXF_RENAMES.get(k, k): v for k, v in data.items() if k not in ("label", "type")}
        if "type" in data:
            out["relation"] = out["label"] = str(data["type"])
        return out

    return _flatten(graph, nodes, edges)


# --- CSV for neo4j-admin database import ----------------------------------------

_INT32 = (-(2 ** 31), 2 ** 31 - 1)
_FIRST_NODE_COLUMNS = (schema.NODE_KEY, "name", "aliases")
_FIRST_REL_COLUMNS = schema.PROVENANCE


def _scalar_type(values: list) -> str:
    kinds = {type(v) for v in values}
    if not kinds:
        return "string"
    if kinds == {bool}:
        return "boolean"
    if kinds == {int}:
        return "int" if all(_INT32[0] <= v <= _INT32[1] for v in values) else "long"
    if kinds <= {int, float}:
        return "double"  # neo4j-admin's float is 32-bit: 0.8 would come back as 0.800000011920929
    return "string"


def column_type(values: list) -> str:
    """The neo4j-admin type of a property column from its (non-null) values."""
    if values and all(isinstance(v, (list, tuple)) for v in values):
        return _scalar_type([item for v in values for item in v if item is not None]) + "[]"
    if any(isinstance(v, (list, tuple, dict)) for v in values):
        return "string"  # mixed lists and scalars (or maps): JSON text
    return _scalar_type(values)


def _cell(value: Any, kind: str, delimiter: str) -> str:
    if value is None:
        return ""
    if kind.endswith("[]"):
        return delimiter.join(_cell(item, kind[:-2], delimiter) for item in value if item is not None)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return repr(value)
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False, default=str)
    if kind == "double":
        return repr(float(value))
    return str(value)


def _columns(rows: list[dict], first: Iterable[str], skip: set[str]) -> list[tuple[str, str]]:
    values: dict[str, list] = defaultdict(list)
    for data in rows:
        for name, value in data.items():
            if name not in skip and value is not None:
                values[name].append(value)
    order = [n for n in first if n in values] + sorted(n for n in values if n not in first)
    return [(name, column_type(values[name])) for name in order]


def _header(name: str, kind: str) -> str:
    return name if kind == "string" else f"{name}:{kind}"


def _array_delimiter(graph: nx.MultiDiGraph) -> str:
    texts = set()
    for data in (*(d for _, d in graph.nodes(data=True)), *(d for *_, d in graph.edges(data=True))):
        for value in data.values():
            if isinstance(value, (list, tuple)):
                texts.update(str(item) for item in value)
    for delimiter in ARRAY_DELIMITERS:
        if not any(delimiter in text for text in texts):
            return delimiter
    raise ValueError("every candidate array delimiter occurs inside an array value")


def _safe_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", str(name))


def write_csv(graph: nx.MultiDiGraph, opener: Callable[[str], Any]) -> list[str]:
    """Write neo4j-admin import CSVs through ``opener(name)`` (a text-file context).

    One ``nodes_<Label>.csv`` per label (``:ID,key,name,aliases:string[],…,:LABEL``),
    one ``relationships_<TYPE>.csv`` per type (``:START_ID,:END_ID,:TYPE,paper,…``)
    and ``import.sh`` holding the ``neo4j-admin database import full`` command
    with the options these files need. Returns the file names, in order.
    """
    delimiter = _array_delimiter(graph)
    multiline = False
    names: list[str] = []

    by_label: dict[str, list[tuple[str, dict]]] = defaultdict(list)
    for node, data in graph.nodes(data=True):
        by_label[str(data.get("label") or "Node")].append((str(node), data))
    node_files = []
    for label in sorted(by_label):
        members = by_label[label]
        columns = _columns([d for _, d in members], _FIRST_NODE_COLUMNS, {"label"})
        header = [":ID", *(_header(n, k) for n, k in columns), ":LABEL"]
        name = f"nodes_{_safe_name(label)}.csv"
        with opener(name) as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(header)
            for ident, data in members:
                row = [ident, *(_cell(data.get(n), k, delimiter) for n, k in columns), label]
                multiline = multiline or any("\n" in c or "\r" in c for c in row)
                writer.writerow(row)
        node_files.append(name)

    by_type: dict[str, list[tuple[str, str, dict]]] = defaultdict(list)
    for u, v, data in graph.edges(data=True):
        by_type[str(data.get("type") or "RELATED_TO")].append((str(u), str(v), data))
    rel_files = []
    for rel_type in sorted(by_type):
        members = by_type[rel_type]
        columns = _columns([d for *_, d in members], _FIRST_REL_COLUMNS, {"type"})
        header = [":START_ID", ":END_ID", ":TYPE", *(_header(n, k) for n, k in columns)]
        name = f"relationships_{_safe_name(rel_type)}.csv"
        with opener(name) as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(header)
            for u, v, data in members:
                row = [u, v, rel_type, *(_cell(data.get(n), k, delimiter) for n, k in columns)]
                multiline = multiline or any("\n" in c or "\r" in c for c in row)
                writer.writerow(row)
        rel_files.append(name)

    names = node_files + rel_files
    with opener("import.sh") as handle:
        handle.write(import_script(node_files, rel_files, delimiter, multiline))
    return names + ["import.sh"]


def import_command(node_files: Iterable[str], rel_files: Iterable[str], array_delimiter: str = ";",
                   multiline: bool = False, database: str = "neo4j", folder: str = ".") -> list[str]:
    """The ``neo4j-admin database import full`` argument list for these files (Neo4j 5)."""
    command = ["neo4j-admin", "database", "import", "full", database]
    if array_delimiter != ";":
        command.append("--array-delimiter=" + (array_delimiter if array_delimiter.isprintable()
                                               else f"U+{ord(array_delimiter):04X}"))
    if multiline:
        command.append("--multiline-fields=true")
    command += [f"--nodes={folder}/{name}" for name in node_files]
    command += [f"--relationships={folder}/{name}" for name in rel_files]
    return command


def import_script(node_files: list[str], rel_files: list[str], array_delimiter: str,
                  multiline: bool) -> str:
    """A shell script that bulk-imports the CSV files next to it into a stopped Neo4j 5."""
    options = import_command([], [], array_delimiter, multiline)[5:]
    lines = ['"$NEO4J_ADMIN" database import full "$DATABASE" "$@"']
    lines += [shlex.quote(option) for option in options]
    lines += [f'--nodes="$DIR/{name}"' for name in node_files]
    lines += [f'--relationships="$DIR/{name}"' for name in rel_files]
    return (
        "#!/bin/sh\n"
        "# Bulk-import the CSV files next to this script into a database of a stopped\n"
        "# Neo4j 5 with neo4j-admin (see docs/neo4j.md). Usage:\n"
        "#   sh import.sh [database] [neo4j-admin options, e.g. --overwrite-destination=true]\n"
        "# The CSV keeps every value exactly as stored, for neo4j-admin: cells that start with\n"
        "# = + - @ are not escaped, so do not open these files in a spreadsheet (kg query\n"
        "# --format csv and the explorer's downloads escape them).\n"
        "set -eu\n"
        'DIR=$(cd "$(dirname "$0")" && pwd)\n'
        "DATABASE=${1:-neo4j}\n"
        "[ $# -gt 0 ] && shift\n"
        "NEO4J_ADMIN=${NEO4J_ADMIN:-neo4j-admin}\n"
        + " \\\n  ".join(lines) + "\n"
    )


# --- the neo4j-admin header grammar ------------------------------------------------

NEO4J_ADMIN_TYPES = ("int", "long", "float", "double", "boolean", "byte", "short", "char",
                     "string", "point", "date", "localtime", "time", "localdatetime",
                     "datetime", "duration", "vector")
_ID_FIELD = re.compile(r"^(?P<name>[^:]*):(?P<kind>ID|START_ID|END_ID)(\((?P<group>[^()]+)\))?$")
_PROPERTY_FIELD = re.compile(r"^(?P<name>[^:]+)(:(?P<type>[A-Za-z]+)(?P<array>\[\])?(\{[^{}]*\})?)?$")


def header_problems(header: list[str], kind: str) -> list[str]:
    """What is wrong with a neo4j-admin import header (``kind``: nodes or relationships).

    Nodes need one ``:ID`` (optionally ``name:ID`` / ``:ID(Group)``) and may have
    ``:LABEL``; relationships need ``:START_ID``, ``:END_ID`` and ``:TYPE``
    (unless given on the command line). Property fields are ``name`` or
    ``name:type`` or ``name:type[]`` with a neo4j-admin type; ``:IGNORE``
    skips a column. An empty list means the header is valid.
    """
    if kind not in ("nodes", "relationships"):
        raise ValueError("kind is 'nodes' or 'relationships'")
    problems: list[str] = []
    seen_kinds: dict[str, int] = defaultdict(int)
    properties: set[str] = set()
    for field in header:
        if field in (":LABEL", ":TYPE", ":IGNORE"):
            seen_kinds[field] += 1
            continue
        match = _ID_FIELD.match(field)
        if match:
            seen_kinds[":" + match.group("kind")] += 1
            if match.group("name"):
                properties.add(match.group("name"))
            continue
        match = _PROPERTY_FIELD.match(field)
        if not match or not match.group("name").strip():
            problems.append(f"malformed field {field!r}")
            continue
        name, kind_name = match.group("name"), match.group("type")
        if kind_name is not None and kind_name.lower() not in NEO4J_ADMIN_TYPES:
            problems.append(f"unknown type {kind_name!r} in {field!r}")
        if name in properties:
            problems.append(f"duplicate property {name!r}")
        properties.add(name)
    if kind == "nodes":
        if seen_kinds[":ID"] != 1:
            problems.append("a nodes header needs exactly one :ID field")
        for bad in (":START_ID", ":END_ID", ":TYPE"):
            if seen_kinds[bad]:
                problems.append(f"{bad} belongs in a relationships header")
        if seen_kinds[":LABEL"] > 1:
            problems.append("more than one :LABEL field")
    else:
        for needed in (":START_ID", ":END_ID"):
            if seen_kinds[needed] != 1:
                problems.append(f"a relationships header needs exactly one {needed} field")
        for bad in (":ID", ":LABEL"):
            if seen_kinds[bad]:
                problems.append(f"{bad} belongs in a nodes header")
        if seen_kinds[":TYPE"] > 1:
            problems.append("more than one :TYPE field")
    return problems
