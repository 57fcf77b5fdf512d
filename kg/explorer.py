"""What the Streamlit explorer needs from the graph, kept out of ``app.py``.

The page (``app.py``) stays a thin layout; opening the store, running the named
queries, shaping rows, finding evidence spans, drawing neighbourhoods and
adding papers live here, where tests call them without a browser.

Safety rules the page relies on:

* every value sent to the graph is a query parameter of a named query
  (``cypher/queries/``, :meth:`kg.api.Graph.rows`); user Cypher goes only through
  :meth:`kg.api.Graph.cypher_rows`;
* user text reaches the page escaped: :func:`md_escape` for Markdown, and the
  only raw HTML is displaCy's rendering (:func:`evidence_html`), which escapes
  the sentence; its labels come from :data:`SPAN_LABELS`, never from data;
* only ``http(s)`` links are produced (:func:`safe_url`, :func:`paper_url`).
"""

from __future__ import annotations

import io
import json
import math
import os
import re
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from kg import schema
from kg.api import Graph, expected_errors, translate
from kg.stores import open_store

# --- the views --------------------------------------------------------------

#: view id -> title; the id is the ``?view=`` query parameter.
VIEWS: dict[str, str] = {
    "overview": "Overview",
    "search": "Search",
    "entity": "Entity page",
    "methods-on-dataset": "Methods on a dataset",
    "method": "Where a method is evaluated",
    "leaderboard": "Leaderboard",
    "lineage": "Lineage and comparisons",
    "dataset-papers": "Papers introducing datasets",
    "related": "Related methods",
    "compare": "Compare methods",
    "paper": "Paper",
    "console": "Cypher console",
    "add": "Add papers",
    "export": "Export",
}
#: The question each view answers (its heading) and the named query behind it.
QUESTIONS: dict[str, tuple[str, str]] = {
    "overview": ("What does the graph hold?", "node-counts"),
    "search": ("Find a method, dataset, task or metric", "search"),
    "entity": ("Everything about one entity", "neighbourhood"),
    "methods-on-dataset": ("Which methods report on this dataset?", "methods-on-dataset"),
    "method": ("Where is this method evaluated, and what does it report?", "method-profile"),
    "leaderboard": ("Who leads on this dataset?", "leaderboard"),
    "lineage": ("What does this method build on, and whom does it beat?", "method-lineage"),
    "dataset-papers": ("Which papers introduce datasets?", "dataset-papers"),
    "related": ("Which methods share benchmarks with this one?", "related-methods"),
    "compare": ("How do these methods compare, benchmark by benchmark?", "method-results"),
    "paper": ("What does the graph say about this paper?", "paper"),
    "console": ("Ask the graph in Cypher (read-only)", ""),
    "add": ("Add papers to the graph", ""),
    "export": ("Download the graph", ""),
}

#: How the overview names each label's count.
PLURALS = {schema.PAPER: "Papers", schema.METHOD: "Methods", schema.DATASET: "Datasets", schema.TASK: "Tasks",
           schema.METRIC: "Metrics", schema.RESULT: "Results", schema.CODE: "Code links"}

#: Largest upload the explorer accepts (also ``server.maxUploadSize`` in .streamlit/config.toml).
MAX_UPLOAD_MB = 20
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 2**20
#: Upload extensions ``kg build`` reads (optionally gzip-compressed).
UPLOAD_TYPES = ("txt", "text", "md", "jsonl", "ndjson", "json", "csv", "tsv", "xml", "atom", "gz")
#: Most rows the console returns; most relations drawn around one entity.
CONSOLE_ROW_LIMIT = 1000
GRAPH_EDGE_LIMIT = 300

# --- opening the store -----------------------------------------------------------


def store_spec() -> str:
    """The store the explorer serves: ``$KG_STORE`` or the default directory."""
    return os.environ.get("KG_STORE") or "./.kg"


def store_database() -> str | None:
    """The database on that store: ``$KG_DATABASE`` (embedded) / ``$NEO4J_DATABASE`` (Bolt)."""
    return os.environ.get("KG_DATABASE") or None


_opened: dict[tuple[str, str | None], Graph] = {}


def connect(spec: str | None = None, database: str | None = None) -> Graph:
    """Open the graph once per process (the page also caches it with ``st.cache_resource``):
    the explorer is a layer over the Python API, as the CLI is."""
    ident = (spec or store_spec(), database or store_database())
    graph = _opened.get(ident)
    if graph is None or graph.closed:
        try:
            graph = _opened[ident] = Graph(open_store(ident[0], database=ident[1]))
        except expected_errors() as error:
            raise translate(error) from None  # one line, as the CLI says it
    return graph


def _rows(graph: Graph, name: str, params: dict[str, Any] | None = None) -> list[dict]:
    """The rows of the named query ``name`` (:meth:`kg.api.Graph.rows`, errors as ``KGError``)."""
    return graph.rows(name, **(params or {}))[1]


def close_all() -> None:
    """Close every store :func:`connect` opened (tests, benchmarks)."""
    while _opened:
        _opened.popitem()[1].close()


def store_kind(graph: Graph) -> str:
    return "embedded ArcadeDB" if graph.kind == "embedded" else "Bolt server"


# --- escaping and links --------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:&\"'=^])")


def md_escape(text: Any) -> str:
    """Text shown literally inside Streamlit Markdown (no links, images, HTML, LaTeX, emoji)."""
    if text is None:
        return ""
    flat = " ".join(str(text).split())
    return _MD_SPECIAL.sub(r"\\\1", flat)


def safe_url(url: Any) -> str | None:
    """``url`` if it is an absolute http(s) URL without whitespace or quotes, else None."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not url or any(c in url for c in " \t\r\n\"'<>`\\") or len(url) > 2048:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


_ARXIV_ID = re.compile(r"^(?:\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})$")


def paper_url(paper_id: str | None, url: str | None = None) -> str | None:
    """The paper's own http(s) link, else its arXiv page when the id is an arXiv id."""
    link = safe_url(url)
    if link:
        return link
    if paper_id and _ARXIV_ID.match(paper_id):
        return f"https://arxiv.org/abs/{paper_id}"
    return None


def md_link(text: Any, url: str | None) -> str:
    """A Markdown link with escaped text, or the escaped text when the URL is not http(s)."""
    url = safe_url(url)
    label = md_escape(text) or "link"
    if not url:
        return label
    url = url.replace("(", "%28").replace(")", "%29")
    return f"[{label}]({url})"


# --- the entity index (type-ahead) ------------------------------------------------


@dataclass(frozen=True)
class Entity:
    label: str
    key: str
    name: str
    aliases: tuple[str, ...] = ()
    papers: int = 0

    @property
    def id(self) -> str:
        return f"{self.label}:{self.key}"

    def surfaces(self) -> list[str]:
        """Every spelling to look for in a sentence, longest first."""
        seen, out = set(), []
        for text in (self.name, *self.aliases):
            if text and text.casefold() not in seen:
                seen.add(text.casefold())
                out.append(text)
        return sorted(out, key=len, reverse=True)

    def option_label(self) -> str:
        """What the type-ahead box shows (and filters on): name, label, other spellings."""
        others = [a for a in self.aliases if a.casefold() != self.name.casefold()]
        extra = f" — aka {', '.join(others[:4])}" if others else ""
        return f"{self.name} · {self.label}{extra}"


class EntityIndex:
    """All methods, datasets, tasks and metrics, for type-ahead and name resolution."""

    def __init__(self, entities: Iterable[Entity]):
        self.entities = list(entities)
        self.by_id = {e.id: e for e in self.entities}
        self._by_text: dict[tuple[str, str], list[Entity]] = defaultdict(list)
        for entity in self.entities:
            for text in {entity.name, entity.key, *entity.aliases}:
                if text:
                    self._by_text[(entity.label, text.casefold())].append(entity)
                    self._by_text[("", text.casefold())].append(entity)
            self._by_text[("#key", entity.label + ":" + schema.entity_key(entity.name))].append(entity)

    def __len__(self) -> int:
        return len(self.entities)

    def of_label(self, label: str) -> list[Entity]:
        return [e for e in self.entities if e.label == label]

    def resolve(self, text: str | None, label: str | None = None) -> Entity | None:
        """The entity named ``text`` (name, alias or key; any case), optionally of one label."""
        if not text:
            return None
        if ":" in text and text in self.by_id:
            return self.by_id[text]
        found = self._by_text.get((label or "", text.casefold()))
        if not found and label:
            found = self._by_text.get(("#key", label + ":" + schema.entity_key(text)))
        if not found and not label:
            for candidate in schema.ENTITY_LABELS:
                found = self._by_text.get(("#key", candidate + ":" + schema.entity_key(text)))
                if found:
                    break
        if not found:
            return None
        return max(found, key=lambda e: (e.name.casefold() == text.casefold(), e.papers))

    def mentions_in(self, sentence: str) -> list[tuple[int, int, str]]:
        """Every known name or alias in ``sentence`` (whole words, any case): (start, end, label)."""
        matcher, labels = self._matcher()
        if matcher is None:
            return []
        return [(m.start(), m.end(), labels[m.group(0).casefold()]) for m in matcher.finditer(sentence)]

    def _matcher(self):
        if not hasattr(self, "_compiled"):
            labels: dict[str, tuple[int, str]] = {}
            for entity in self.entities:
                for text in entity.surfaces():
                    folded = text.casefold()
                    if len(folded) < 2 or len(folded) > 100:
                        continue
                    if folded not in labels or labels[folded][0] < entity.papers:
                        labels[folded] = (entity.papers, entity.label)
            if labels:
                alternatives = sorted(labels, key=len, reverse=True)
                pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, alternatives)) + r")(?!\w)",
                                     re.IGNORECASE)
            else:
                pattern = None
            self._compiled = (pattern, {k: v[1] for k, v in labels.items()})
        return self._compiled

    def search(self, text: str, limit: int = 25) -> list[Entity]:
        """The forgiving search of ``kg query search`` (kg/search.py) over this index, in memory."""
        from kg.search import rank

        return [entity for entity, _ in rank(self.entities, text, limit=limit)]


#: Table columns that hold an entity's name, with its label ("other"/"target"/"name" carry theirs).
_NAME_COLUMNS = (("method", "Method"), ("dataset", "Dataset"), ("variant", "Dataset"), ("metric", "Metric"),
                 ("task", "Task"), ("other", None), ("target", None), ("name", None))
#: Where a row keeps the label of its "other", "target" or "name" column.
_LABEL_COLUMN = {"other": "other_label", "target": "label", "name": "label"}
#: Columns that open the row's paper.
PAPER_COLUMNS = ("paper", "title")


def link_columns(columns: Iterable[str]) -> list[str]:
    """The columns of a table whose cells open a page when clicked."""
    names = {column for column, _ in _NAME_COLUMNS} | set(PAPER_COLUMNS)
    return [c for c in columns if c in names]


def cell_destination(row: dict, column: str, index: "EntityIndex") -> dict[str, str] | None:
    """Where a click on ``row[column]`` leads: the page of the entity or paper it names, or
    None (a value, a count, a name the graph does not hold)."""
    if column in PAPER_COLUMNS:
        return {"view": "paper", "paper": str(row["paper"])} if row.get("paper") else None
    label = dict(_NAME_COLUMNS).get(column, "")
    if label is None:
        label = row.get(_LABEL_COLUMN[column])
    if label == schema.PAPER and column == "other" and row.get("other_key"):
        return {"view": "paper", "paper": str(row["other_key"])}
    if not row.get(column) or (label is not None and label not in schema.ENTITY_LABELS):
        return None
    entity = index.resolve(str(row[column]), label)  # no label in the row: whatever it names
    return {"view": "entity", "label": entity.label, "name": entity.name} if entity else None


def row_entities(row: dict, index: "EntityIndex") -> list[Entity]:
    """The graph's entities a table row names (a leaderboard's method, variant and metric; a
    relation's other end), each once: what the explorer offers to open from that row."""
    found: list[Entity] = []
    for column, label in _NAME_COLUMNS:
        if column == "name":  # the page's own subject, in neighbourhood rows
            continue
        name = row.get(column)
        if label is None:
            label = row.get(_LABEL_COLUMN[column])
        if not name or label not in schema.ENTITY_LABELS:
            continue
        entity = index.resolve(str(name), label)
        if entity is not None and entity not in found:
            found.append(entity)
    return found


def entity_index(graph: Graph) -> EntityIndex:
    rows = _rows(graph, "entity-index")
    return EntityIndex(Entity(label=r["label"], key=r["key"], name=r["name"] or r["key"],
                              aliases=tuple(a for a in (r.get("aliases") or []) if isinstance(a, str)),
                              papers=r.get("papers") or 0)
                       for r in rows if r.get("key"))


def search(graph: Graph, text: str, limit: int = 25) -> list[dict]:
    """The ``search`` named query (kg/search.py): forgiving case, spacing, acronyms and typos."""
    text = (text or "").strip()
    if not text:
        return []
    return _rows(graph, "search", {"q": text, "limit": limit})


# --- the overview -----------------------------------------------------------------


def overview(graph: Graph, limit: int = 10) -> dict[str, Any]:
    stats = graph.stats()
    return {
        "nodes": stats["nodes"],
        "relations": stats["relations"],
        "datasets": _rows(graph, "most-evaluated-datasets", {"limit": limit}),
        "metrics": _rows(graph, "most-reported-metrics", {"limit": limit}),
        "papers": newest_papers(graph, limit),
    }


def newest_papers(graph: Graph, limit: int = 10) -> list[dict]:
    """The newest papers by year, topped up with undated ones (a corpus without
    dates, like the bundled listing, still shows papers). With fewer dated
    papers than ``limit`` all of them are shown, so the others are undated."""
    papers = _rows(graph, "newest-papers", {"limit": limit})
    if len(papers) < limit:
        shown = {row["paper"] for row in papers}
        others = [row for row in _rows(graph, "papers", {"limit": limit}) if row["paper"] not in shown]
        papers += others[:limit - len(papers)]
    return papers


def count_rows(counts: dict[str, int], order: Sequence[str]) -> list[dict]:
    """Counts in schema order, zeros included, then anything unexpected."""
    rows = [{"type": name, "count": counts.get(name, 0)} for name in order]
    rows += [{"type": name, "count": n} for name, n in sorted(counts.items()) if name not in order]
    return rows


# --- the question views -------------------------------------------------------------


def dataset_names(graph: Graph) -> list[str]:
    """Datasets ordered by how many methods report on them."""
    return [row["dataset"] for row in _rows(graph, "datasets")]


def methods_on_dataset(graph: Graph, dataset: str) -> list[dict]:
    return _rows(graph, "methods-on-dataset", {"dataset": dataset})


def task_datasets(graph: Graph, task: str) -> list[dict]:
    """The datasets a task's papers are evaluated on, those with leaderboard values first."""
    return _rows(graph, "task-datasets", {"task": task})


def method_results(graph: Graph, methods: tuple[str, ...]) -> list[dict]:
    return _rows(graph, "method-results", {"methods": list(methods)})


def paper_results(graph: Graph, papers: tuple[str, ...]) -> list[dict]:
    return _rows(graph, "paper-results", {"papers": list(papers)})


def result_papers(graph: Graph, limit: int = 1000) -> list[dict]:
    """Papers reporting leaderboard values, newest first: what a paper comparison offers."""
    return _rows(graph, "result-papers", {"limit": limit})


def comparison(wanted: Sequence[str], rows: list[dict], by: str = "method"
               ) -> tuple[list[dict], dict[tuple[str, str], dict]]:
    """ORKG's comparison: one row per method (or, with ``by="paper"``, per paper), in the order
    asked, one column per dataset · metric (· setting, kept apart like leaderboards), each cell the
    row's best value there by the metric's direction. Returns the table and, per (row name,
    column), the result row behind the cell (its evidence)."""
    best: dict[tuple[str, str], dict] = {}
    columns: list[str] = []
    for row in rows:
        column = f"{row['dataset']} · {row['metric']}" + (f" ({row['setting']})" if row.get("setting") else "")
        if column not in columns:
            columns.append(column)
        key = (row[by], column)
        kept = best.get(key)
        lower = row.get("direction") == "lower"
        if kept is None or (row["value"] < kept["value"] if lower else row["value"] > kept["value"]):
            best[key] = row
    names = list(dict.fromkeys([*wanted, *(row[by] for row in rows)]))
    found = {row[by].casefold(): row[by] for row in rows}
    titles = {row[by]: row.get("title") for row in rows}
    table = []
    for name in names:
        subject = found.get(name.casefold(), name)
        if any(r[by] == subject for r in table):
            continue
        cells = {}
        for column in sorted(columns):
            row = best.get((subject, column))
            cells[column] = f"{row['value']:g}{row.get('unit') or ''}" if row else ""
        head = {by: subject, "title": titles.get(subject) or ""} if by == "paper" else {by: subject}
        table.append({**head, **cells})
    return table, best


def csv_for_people(rows: list[dict]) -> str:
    """CSV for a spreadsheet: a text cell that would start a formula gets a leading quote
    (plain numbers such as "-1.5" are left as they are: :func:`kg.export.formula_safe`)."""
    import csv

    from kg.export import formula_safe

    out = io.StringIO()
    if not rows:
        return ""
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    for row in rows:
        writer.writerow({k: formula_safe(v) for k, v in row.items()})
    return out.getvalue()


def method_profile(graph: Graph, method: str) -> list[dict]:
    return _rows(graph, "method-profile", {"method": method})


def method_lineage(graph: Graph, method: str) -> list[dict]:
    return _rows(graph, "method-lineage", {"method": method})


def method_comparisons(graph: Graph, method: str) -> list[dict]:
    return _rows(graph, "method-comparisons", {"method": method})


def related_methods(graph: Graph, method: str) -> list[dict]:
    return _rows(graph, "related-methods", {"method": method})


def dataset_papers(graph: Graph) -> list[dict]:
    return _rows(graph, "dataset-papers")


def paper(graph: Graph, paper_id: str) -> list[dict]:
    return _rows(graph, "paper", {"paper": paper_id})


def paper_info(graph: Graph, paper_id: str) -> dict | None:
    rows = _rows(graph, "paper-info", {"paper": paper_id})
    return rows[0] if rows else None


def leaderboard_datasets(graph: Graph) -> list[dict]:
    """(dataset, metric) pairs with results, most results first."""
    return _rows(graph, "result-datasets")


def leaderboard(graph: Graph, dataset: str, metric: str | None = None) -> list[dict]:
    return _rows(graph, "leaderboard", {"dataset": dataset, "metric": metric})


def leaderboard_metrics(rows: list[dict]) -> list[str]:
    """The metrics of leaderboard rows, most reported first."""
    counts = Counter(r["metric"] for r in rows if r.get("metric"))
    return [m for m, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].casefold()))]


def rank(rows: list[dict], metric: str) -> tuple[list[dict], str]:
    """One metric's rows ranked best first, with its direction. The ``leaderboard`` query already
    gives one best row per method, setting and dataset variant, each named (by the method, or the
    paper's short title for its own unnamed method); ``claims`` counts the values behind a row."""
    chosen = [r for r in rows if r.get("metric") == metric and r.get("method")
              and _number(r.get("value")) is not None]
    direction = chosen[0].get("direction", "higher") if chosen else "higher"
    chosen.sort(key=lambda r: _number(r["value"]) * (1 if direction == "lower" else -1))
    ranked = []
    for position, row in enumerate(chosen, 1):
        claims = row.get("claims") or []
        ranked.append({"rank": position, **row, "claims": len(claims) or 1, "claim_rows": claims})
    return ranked, direction


def sota_over_time(rows: list[dict], metric: str) -> tuple[list[dict], str]:
    """Papers with Code's state-of-the-art chart: every dated claim of one metric (leaderboard
    rows and the claims behind them) as a point, ``record`` true where it beat every earlier
    claim of its series (dataset variant · setting, kept apart as leaderboards keep them)."""
    ranked, direction = rank(rows, metric)
    sign = -1 if direction == "lower" else 1
    points = []
    for row in ranked:
        series = " · ".join(str(x) for x in (row.get("variant"), row.get("setting")) if x) or "all"
        for claim in row["claim_rows"] or [row]:
            year, value = claim.get("year") or row.get("year"), _number(claim.get("value", row.get("value")))
            if isinstance(year, (int, float)) and value is not None:
                points.append({"year": int(year), "value": value, "method": row["method"], "series": series,
                               "paper": claim.get("paper") or row.get("paper")})
    points.sort(key=lambda p: (p["series"], p["year"], -sign * p["value"], p["method"]))
    best: dict[str, float] = {}
    for point in points:
        record = best.get(point["series"])
        point["record"] = record is None or sign * point["value"] > sign * record
        if point["record"]:
            best[point["series"]] = point["value"]
    return points, direction


def dataset_metrics(rows: list[dict]) -> list[dict]:
    """A dataset page's metrics: per metric, how many leaderboard entries and who leads."""
    out = []
    for metric in leaderboard_metrics(rows):
        ranked, direction = rank(rows, metric)
        if ranked:
            top = ranked[0]
            out.append({"metric": metric, "entries": len(ranked), "best": top["value"],
                        "unit": top.get("unit"), "method": top["method"], "paper": top.get("paper"),
                        "direction": "↓" if direction == "lower" else "↑"})
    return out


def family(graph: Graph, label: str, name: str) -> list[dict]:
    """What ``name`` is a variant of, and its variants (``family`` named query)."""
    return [{**row, "label": label} for row in _rows(graph, "family", {"label": label, "name": name})]


def dataset_tasks(graph: Graph, dataset: str) -> list[dict]:
    return _rows(graph, "dataset-tasks", {"dataset": dataset})


def dataset_introductions(graph: Graph, dataset: str) -> list[dict]:
    return _rows(graph, "dataset-papers", {"dataset": dataset})


def method_code(graph: Graph, method: str) -> list[dict]:
    rows = _rows(graph, "method-code", {"method": method})
    return [{**row, "code": safe_url(row.get("code"))} for row in rows if safe_url(row.get("code"))]


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def direction_note(direction: str) -> str:
    return "↓ lower is better" if direction == "lower" else "↑ higher is better"


#: papers listed on an entity page (newest first); a popular benchmark has thousands
ENTITY_PAPER_LIMIT = 200


def entity_rows(graph: Graph, label: str, name: str, limit: int = ENTITY_PAPER_LIMIT) -> list[dict]:
    """The ``entity`` named query: a node's names and the papers mentioning it (newest ``limit``)."""
    return _rows(graph, "entity", {"label": label, "name": name, "limit": limit})


def neighbourhood(graph: Graph, label: str, name: str, limit: int = GRAPH_EDGE_LIMIT) -> list[dict]:
    return _rows(graph, "neighbourhood", {"label": label, "name": name, "limit": limit})


def relation_table(rows: list[dict]) -> list[dict]:
    """Neighbourhood rows as the entity page's table (arrow shows the direction)."""
    table = []
    for row in rows:
        arrow = "→" if row["direction"] == "out" else "←"
        table.append({"relation": f"{arrow} {row['relation']}", "other": row["other"],
                      "type": row["other_label"], "paper": row["paper"], "title": row.get("title"),
                      "evidence": row.get("evidence")})
    return table


# --- evidence: the sentence with its entities highlighted -----------------------------

#: displaCy labels (fixed here, never taken from data: displaCy does not escape labels).
SPAN_LABELS = {schema.METHOD: "METHOD", schema.DATASET: "DATASET", schema.TASK: "TASK",
               schema.METRIC: "METRIC", schema.RESULT: "RESULT", "Value": "VALUE"}
SPAN_COLORS = {"METHOD": "#c7e9c0", "DATASET": "#c6dbef", "TASK": "#fdd0a2",
               "METRIC": "#dadaeb", "RESULT": "#fcbba1", "VALUE": "#fcbba1"}
#: Node colours in the graph (one per label).
NODE_COLORS = {schema.PAPER: "#9e9e9e", schema.METHOD: "#31a354", schema.DATASET: "#3182bd",
               schema.TASK: "#e6550d", schema.METRIC: "#756bb1", schema.RESULT: "#de2d26",
               schema.CODE: "#636363"}

_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")


@dataclass
class Mention:
    """Something to highlight: a label and the spellings that may appear."""

    label: str
    surfaces: list[str] = field(default_factory=list)


def mention(index: EntityIndex | None, label: str, name: Any) -> Mention | None:
    """A mention of the entity ``name`` with every alias the graph knows for it."""
    if name is None or name == "":
        return None
    name = str(name)
    if label in (schema.RESULT, "Value"):
        match = _NUMBER.search(name)
        return Mention("Value", [match.group(0)]) if match else None
    entity = index.resolve(name, label) if index is not None else None
    surfaces = entity.surfaces() if entity else [name]
    if name not in surfaces:
        surfaces.insert(0, name)
    return Mention(label, surfaces)


def find_spans(sentence: str, mentions: Iterable[Mention | None], index: EntityIndex | None = None
               ) -> list[dict]:
    """Where the mentions occur in ``sentence``: non-overlapping, whole-word, any case.

    Earlier mentions win overlaps; within one, longer spellings are tried first.
    With an ``index``, every other entity the graph knows is marked too (after
    the row's own mentions, which take precedence).
    """
    spans: list[dict] = []
    taken: list[tuple[int, int]] = []
    folded = sentence.casefold()
    same_length = len(folded) == len(sentence)
    for item in mentions:
        if item is None or item.label not in SPAN_LABELS:
            continue
        for surface in sorted({s for s in item.surfaces if s and s.strip()}, key=len, reverse=True):
            if same_length:
                pattern = re.compile(r"(?<!\w)" + re.escape(surface.casefold()) + r"(?!\w)")
                haystack = folded
            else:
                pattern = re.compile(r"(?<!\w)" + re.escape(surface) + r"(?!\w)", re.IGNORECASE)
                haystack = sentence
            for match in pattern.finditer(haystack):
                start, end = match.span()
                if any(start < e and s < end for s, e in taken):
                    continue
                taken.append((start, end))
                spans.append({"start": start, "end": end, "label": SPAN_LABELS[item.label]})
    if index is not None:
        for start, end, label in index.mentions_in(sentence):
            if label in SPAN_LABELS and not any(start < e and s < end for s, e in taken):
                taken.append((start, end))
                spans.append({"start": start, "end": end, "label": SPAN_LABELS[label]})
    return sorted(spans, key=lambda s: s["start"])


#: LaTeX's escaped specials as abstracts carry them ("58.4\%", "R\&D"): shown unescaped.
_LATEX_ESCAPE = re.compile(r"\\([%&_#$])")


def evidence_html(sentence: str | None, mentions: Iterable[Mention | None],
                  index: EntityIndex | None = None) -> str:
    """displaCy's ``ent`` rendering of the sentence with the mentions highlighted.

    displaCy HTML-escapes the text (and so each span); the labels and colours
    are ours (:data:`SPAN_LABELS`), and no title is passed (it would not be escaped).
    """
    from spacy import displacy

    text = _LATEX_ESCAPE.sub(r"\1", " ".join((sentence or "").split()))  # "58.4\%" reads "58.4%"
    spans = find_spans(text, mentions, index)
    for span in spans:
        assert span["label"] in SPAN_COLORS
    return displacy.render({"text": text, "ents": spans, "title": None}, style="ent", manual=True,
                           jupyter=False, options={"colors": SPAN_COLORS})


def row_mentions(view: str, row: dict, index: EntityIndex | None, subject: tuple[str, str] | None = None
                 ) -> list[Mention | None]:
    """What to highlight in a row's evidence, per view."""
    m = lambda label, name: mention(index, label, name)  # noqa: E731
    if view == "methods-on-dataset":
        return [m(schema.METHOD, row.get("method")), m(schema.DATASET, row.get("dataset"))]
    if view == "leaderboard":
        return [m(schema.METHOD, row.get("method")), m(schema.DATASET, row.get("dataset")),
                m(schema.METRIC, row.get("metric")), m("Value", row.get("value"))]
    if view == "method":
        return [m(schema.METHOD, row.get("method")), m(row.get("label") or schema.DATASET, row.get("target"))]
    if view in ("lineage", "comparisons"):
        return [m(schema.METHOD, row.get("method")), m(schema.METHOD, row.get("other"))]
    if view == "dataset-papers":
        return [m(schema.DATASET, row.get("dataset"))]
    if view == "paper":
        return [m(row.get("label") or schema.METHOD, row.get("target"))]
    if view == "entity":
        own = m(subject[0], subject[1]) if subject else None
        other = row.get("other_label")
        return [own, m(other, row.get("other")) if other in SPAN_LABELS else None]
    return []


def paper_mentions(rows: list[dict], index: EntityIndex | None) -> list[Mention | None]:
    """Every entity a paper's relations name (for highlighting its abstract)."""
    found = []
    for row in rows:
        if row.get("label") in SPAN_LABELS and row.get("label") != schema.RESULT:
            found.append(mention(index, row["label"], row.get("target")))
    return found


# --- the neighbourhood graph (st-link-analysis / Cytoscape elements) -------------------

_UNSAFE_IN_COMPONENT = str.maketrans({"<": "‹", ">": "›", "&": "＆", "\x00": ""})


def component_text(text: Any, width: int = 60) -> str:
    """Text for the graph component: shortened, and with ``< > &`` swapped for look-alikes.

    st-link-analysis writes node data into its info panel with ``innerHTML``, so
    nothing that could form markup may reach it; canvas labels still read well.
    """
    text = " ".join(str(text if text is not None else "").split()).translate(_UNSAFE_IN_COMPONENT)
    return text if len(text) <= width else text[: width - 1] + "…"


@dataclass
class GraphView:
    """Cytoscape elements plus, per node id, where clicking it leads."""

    elements: dict[str, list[dict]]
    targets: dict[str, dict[str, str]]
    #: node id -> (label, key): what expanding the node asks the store for
    members: dict[str, tuple[str, str]] = field(default_factory=dict)

    def legend(self) -> list[tuple[str, str, int]]:
        """(label, colour, count) per node label drawn, in schema order."""
        counts = Counter(n["data"]["label"] for n in self.elements["nodes"])
        order = [label for label in schema.NODE_LABELS if label in counts]
        order += sorted(set(counts) - set(order))
        return [(label, NODE_COLORS.get(label, "#999999"), counts[label]) for label in order]

    @property
    def node_count(self) -> int:
        return len(self.elements["nodes"])

    @property
    def edge_count(self) -> int:
        return len(self.elements["edges"])


def destination(label: str, key: str, paper: str | None = None, name: str | None = None
                ) -> dict[str, str] | None:
    """Where a node leads: an entity page, a paper, or (for a result) its paper."""
    if label in schema.ENTITY_LABELS:
        return {"view": "entity", "label": label, "name": name if isinstance(name, str) and name else key}
    if label == schema.PAPER:
        return {"view": "paper", "paper": key}
    if label == schema.RESULT and paper:
        return {"view": "paper", "paper": paper}
    return None


class _GraphBuilder:
    def __init__(self):
        self.nodes: dict[tuple[str, str], dict] = {}
        self.edges: dict[tuple[str, str, str], dict] = {}
        self.targets: dict[str, dict[str, str]] = {}
        self.members: dict[str, tuple[str, str]] = {}
        self._seen: set = set()

    def node(self, label: str, key: str, name: Any, paper: str | None = None, centre: bool = False) -> str:
        found = self.nodes.get((label, key))
        if found is None:
            ident = f"n{len(self.nodes)}"
            data = {"id": ident, "label": component_text(label, 20), "name": component_text(name)}
            if paper and label == schema.RESULT:
                data["paper"] = component_text(paper)
            if centre:
                data["centre"] = "yes"
            found = self.nodes[(label, key)] = {"data": data}
            self.members[ident] = (label, key)
            target = destination(label, key, paper, name)
            if target:
                self.targets[ident] = target
        return found["data"]["id"]

    def edge(self, source: str, rel: str, target: str, paper: str | None = None) -> None:
        ident = (source, rel, target)
        if paper is not None:  # one relationship seen from both of its ends counts once
            if (ident, paper) in self._seen:
                return
            self._seen.add((ident, paper))
        if ident in self.edges:
            self.edges[ident]["data"]["papers"] += 1
        else:
            self.edges[ident] = {"data": {"id": f"e{len(self.edges)}", "source": source, "target": target,
                                          "label": component_text(rel, 30), "papers": 1}}

    def view(self) -> GraphView:
        return GraphView({"nodes": list(self.nodes.values()), "edges": list(self.edges.values())},
                         self.targets, self.members)


def neighbourhood_graph(rows: list[dict], *more: list[dict]) -> GraphView:
    """The relations around one node (``neighbourhood`` rows) as a graph, with the neighbourhoods
    of nodes expanded in place (``more``) added around it; node ids stay as they were."""
    builder = _GraphBuilder()
    for row in rows:
        builder.node(row["label"], row["key"], row["name"], centre=True)
    for row in [r for batch in (rows, *more) for r in batch]:
        centre = builder.node(row["label"], row["key"], row["name"])
        if not row.get("other_key"):
            continue
        other = builder.node(row["other_label"], row["other_key"], row["other"], paper=row.get("paper"))
        if row["direction"] == "out":
            builder.edge(centre, row["relation"], other, row.get("paper"))
        else:
            builder.edge(other, row["relation"], centre, row.get("paper"))
    return builder.view()


#: Cytoscape's force-directed layout, fitted at once (no animation to wait for).
GRAPH_LAYOUT = {"name": "cose", "animate": False, "fit": True, "padding": 30, "nodeRepulsion": 4096,
                "nodeDimensionsIncludeLabels": True}


class _RawStyle:
    """A Cytoscape style rule passed through st-link-analysis as it is."""

    def __init__(self, selector: str, style: dict):
        self.selector, self.style = selector, style

    def dump(self) -> dict:
        return {"selector": self.selector, "style": self.style}


#: Readable captions at the zoom a small neighbourhood is fitted to (the
#: component's defaults hide labels until zoomed in far).
_READABLE = [
    _RawStyle("node", {"font-size": 7, "min-zoomed-font-size": 0, "text-wrap": "ellipsis",
                       "text-max-width": 90}),
    _RawStyle("edge", {"font-size": 5, "min-zoomed-font-size": 0}),
    _RawStyle("node[centre]", {"width": 28, "height": 28, "font-size": 9, "font-weight": "bold"}),
]


def graph_styles(view: GraphView):
    """NodeStyle/EdgeStyle lists for st-link-analysis (colour per label, caption = name)."""
    from st_link_analysis import EdgeStyle, NodeStyle

    labels = sorted({n["data"]["label"] for n in view.elements["nodes"]})
    relations = sorted({e["data"]["label"] for e in view.elements["edges"]})
    node_styles = [*_READABLE[:1], *[NodeStyle(label, NODE_COLORS.get(label, "#999999"), "name")
                                     for label in labels if re.fullmatch(r"\w+", label)], _READABLE[2]]
    node_styles.insert(1, _READABLE[1])
    edge_styles = [EdgeStyle(rel, caption="label", labeled=None, directed=True) for rel in relations
                   if re.fullmatch(r"\w+", rel)]
    return node_styles, edge_styles


def clicked(value: Any, view: GraphView) -> dict[str, str] | None:
    """Where an st-link-analysis ``select`` event (a node click) leads, if anywhere."""
    node = selected_node(value, view)
    return view.targets.get(node) if node else None


def selected_node(value: Any, view: GraphView) -> str | None:
    """The id of the node a ``select`` event (a click) names, if it is in the view."""
    if isinstance(value, dict) and value.get("action") == "select":
        target = (value.get("data") or {}).get("target_id")
        if isinstance(target, str) and target in view.members:
            return target
    return None


def expanded_nodes(value: Any, view: GraphView) -> list[tuple[str, str]]:
    """The (label, key) of nodes an ``expand`` event (double-click or the expand button) names
    that have neighbourhoods of their own (entities and papers; not results)."""
    if not (isinstance(value, dict) and value.get("action") == "expand"):
        return []
    ids = (value.get("data") or {}).get("node_ids") or []
    return [view.members[i] for i in ids if isinstance(i, str) and i in view.members
            and view.members[i][0] in (schema.PAPER, *schema.ENTITY_LABELS)]


# --- the console ------------------------------------------------------------------


def _is_node(value: Any) -> bool:
    return isinstance(value, dict) and isinstance(value.get("key"), str)


def _is_relationship(value: Any) -> bool:
    return (isinstance(value, tuple) and len(value) == 3 and _is_node(value[0])
            and isinstance(value[1], str) and _is_node(value[2]))


def _is_path(value: Any) -> bool:
    return (isinstance(value, list) and len(value) >= 3 and len(value) % 2 == 1
            and all(_is_node(v) for v in value[::2]) and all(isinstance(v, str) for v in value[1::2]))


def cell(value: Any) -> Any:
    """A console value as a table cell: nodes by name, relationships and paths as arrows."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if _is_node(value):
        return value.get("name") or value.get("title") or value["key"]
    if _is_relationship(value):
        return f"({cell(value[0])})-[:{value[1]}]->({cell(value[2])})"
    if _is_path(value):
        parts = [f"({cell(value[0])})"]
        for i in range(1, len(value), 2):
            parts.append(f"-[:{value[i]}]-({cell(value[i + 1])})")
        return "".join(parts)
    return json.dumps(value, ensure_ascii=False, default=str)


def console_table(columns: list[str], rows: list[dict]) -> list[dict]:
    return [{c: cell(row.get(c)) for c in columns} for row in rows]


def console_graph(graph: Graph, columns: list[str], rows: list[dict]) -> GraphView | None:
    """Nodes, relationships and paths in console results as a graph (None if there are none).

    The driver hands nodes back as property maps; every node of this graph has a
    ``key`` (unique per label), so their labels are looked up by key (``node-labels``).
    """
    found_nodes: dict[str, dict] = {}
    found_edges: list[tuple[str, str, str]] = []

    def add(node: dict) -> str:
        found_nodes.setdefault(node["key"], node)
        return node["key"]

    for row in rows:
        for column in columns:
            value = row.get(column)
            values = value if isinstance(value, list) and not _is_path(value) else [value]
            for item in values:
                if _is_relationship(item):
                    found_edges.append((add(item[0]), item[1], add(item[2])))
                elif _is_path(item):
                    keys = [add(n) for n in item[::2]]
                    for i, rel in enumerate(item[1::2]):
                        found_edges.append((keys[i], rel, keys[i + 1]))
                elif _is_node(item):
                    add(item)
    if not found_nodes:
        return None
    labels: dict[str, str] = {}
    for row in _rows(graph, "node-labels", {"keys": list(found_nodes)[:2000]}):
        labels.setdefault(row["key"], row["label"])
    builder = _GraphBuilder()
    ids = {}
    for key, props in found_nodes.items():
        ids[key] = builder.node(labels.get(key, "Node"), key,
                                props.get("name") or props.get("title") or key, paper=props.get("paper"))
    for source, rel, target in found_edges:
        builder.edge(ids[source], rel, ids[target])
    return builder.view()


EXAMPLE_QUERIES = {
    "Methods on NewsCLIPpings": "MATCH (m:Method)-[r:REPORTS_ON]->(d:Dataset)\n"
                                "WHERE toLower(d.name) = 'newsclippings'\nRETURN m.name AS method, r.evidence AS evidence",
    "A dataset's neighbourhood (graph)": "MATCH p = (m:Method)-[:REPORTS_ON]->(d:Dataset {key: 'coco'})\nRETURN p LIMIT 25",
    "Most connected entities": "MATCH (n)-[r]-()\nWHERE n:Method OR n:Dataset\n"
                               "RETURN labels(n)[0] AS label, n.name AS name, count(r) AS degree\n"
                               "ORDER BY degree DESC LIMIT 20",
}


def parse_params(text: str) -> dict[str, Any]:
    """Console parameters: a JSON object (empty text: none). Raises ValueError."""
    text = (text or "").strip()
    if not text:
        return {}
    value = json.loads(text)
    if not isinstance(value, dict):
        raise ValueError("parameters must be a JSON object, e.g. {\"name\": \"COCO\"}")
    return value


# --- adding papers -----------------------------------------------------------------


@dataclass
class AddResult:
    papers: list = field(default_factory=list)
    records: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    loaded: int = 0
    unchanged: int = 0
    updated: int = 0
    seconds: float = 0.0


def upload_problem(name: str, size: int) -> str | None:
    """Why an uploaded file is refused (None if it is fine)."""
    if size > MAX_UPLOAD_BYTES:
        return f"{name} is {size / 2**20:.1f} MB; the explorer accepts files up to {MAX_UPLOAD_MB} MB"
    suffixes = [s.lower().lstrip(".") for s in Path(name).suffixes]
    if not suffixes or suffixes[-1] not in UPLOAD_TYPES:
        return f"{name}: not a file type kg build reads ({', '.join(UPLOAD_TYPES)})"
    return None


def _safe_suffix(name: str) -> str:
    suffixes = [s.lower() for s in Path(name).suffixes[-2:] if re.fullmatch(r"\.[a-z0-9]{1,8}", s.lower())]
    return "".join(suffixes) or ".txt"


def papers_from_upload(name: str, data: bytes, fmt: str | None = None):
    """Papers read from an uploaded file by kg's own readers; returns (papers, problems)."""
    from kg.ingest import IngestReport, read_papers

    problem = upload_problem(name, len(data))
    if problem:
        return [], [problem]
    report = IngestReport()
    with tempfile.TemporaryDirectory(prefix="kg-upload-") as folder:
        path = Path(folder) / ("upload" + _safe_suffix(name))
        path.write_bytes(data)
        papers = list(read_papers([path], format=fmt, report=report))
    problems = [str(p).replace(str(path), name) for p in report.problems]
    if not papers and not problems:
        problems.append(f"{name}: no papers found")
    return papers, problems


def papers_from_paste(title: str, abstract: str, url: str | None = None):
    """One paper from pasted title and abstract, through the JSONL reader's checks."""
    from kg.ingest import IngestReport, read_text

    title, abstract = (title or "").strip(), (abstract or "").strip()
    if not title or not abstract:
        return [], ["give both a title and an abstract"]
    record = {"title": title, "abstract": abstract}
    if safe_url(url):
        record["url"] = url.strip()
    report = IngestReport()
    papers = list(read_text(json.dumps(record), format="jsonl", report=report, source="<paste>"))
    return papers, [str(p) for p in report.problems]


def extractor_available() -> str | None:
    """None if the extraction pipeline can be imported, else why not."""
    try:
        from extractors.pipeline import extract  # noqa: F401
    except Exception as error:  # an unfinished or broken pipeline must not break the page
        return f"the extraction pipeline is not available ({error.__class__.__name__}: {error})"
    return None


def add_papers(graph: Graph, papers: list, progress: Callable[[float, str], None] | None = None,
               extract: Callable | None = None) -> AddResult:
    """Extract ``papers`` and merge them into the graph, reporting progress in [0, 1]."""
    result = AddResult(papers=list(papers))
    if not papers:
        return result
    started = time.perf_counter()
    if extract is None:
        from extractors.pipeline import extract
    total = len(papers)
    for done, record in enumerate(extract(papers), 1):
        result.records.append(record)
        if progress:
            progress(0.8 * done / total, f"extracted {done}/{total} paper(s)")
    loaded = 0

    def on_batch(count: int) -> None:
        nonlocal loaded
        loaded += count
        if progress:
            progress(0.8 + 0.2 * loaded / max(1, len(result.records)), f"merged {loaded}/{total} into the graph")

    report = graph.load(result.records, batch_size=50, progress=on_batch)
    result.loaded, result.unchanged, result.updated = report.papers, report.unchanged, report.updated
    result.seconds = time.perf_counter() - started
    if progress:
        progress(1.0, f"done: {report.papers} paper(s) merged, {report.unchanged} unchanged")
    return result


def added_entities(records: list[dict]) -> list[dict]:
    rows, seen = [], set()
    for record in records:
        for entity in record.get("entities", []):
            ident = (record["id"], entity.get("label"), entity.get("name"))
            if ident in seen or entity.get("label") not in schema.ENTITY_LABELS or not entity.get("graph", True):
                continue
            seen.add(ident)
            rows.append({"paper": record["id"], "label": entity.get("label"), "name": entity.get("name"),
                         "text": entity.get("text")})
    return rows


def added_relations(records: list[dict]) -> list[dict]:
    rows = []
    for record in records:
        for rel in record.get("relations", []):
            rows.append({"paper": record["id"], "relation": rel.get("type"),
                         "source": record.get("title") if rel.get("source_label") == schema.PAPER else rel.get("source"),
                         "target": rel.get("target"), "evidence": rel.get("evidence")})
        for res in record.get("results", []):
            rows.append({"paper": record["id"], "relation": "RESULT",
                         "source": res.get("method"),
                         "target": " ".join(str(x) for x in (res.get("value"), res.get("unit") or "",
                                                             res.get("metric"), "on", res.get("dataset"))
                                            if x not in (None, "")),
                         "evidence": res.get("evidence")})
    return rows


# --- export ------------------------------------------------------------------------

EXPORT_FORMATS = ("graphml", "json", "csv", "gexf")
EXPORT_NAMES = {"graphml": "GraphML", "json": "JSON (node-link)", "csv": "CSV (zip, neo4j-admin import)",
                "gexf": "GEXF (Gephi)"}


def export_available() -> str | None:
    try:
        from kg import export  # noqa: F401
    except Exception as error:
        return f"export is not available ({error.__class__.__name__}: {error})"
    return None


def export_bytes(graph: Graph, fmt: str, around: tuple[str, str] | None = None,
                 hops: int = 1) -> tuple[bytes, str, str]:
    """The whole graph, or the neighbourhood of one node, as (bytes, mime, filename)."""
    from kg import export

    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    return export.to_bytes(graph.to_networkx(around=around, hops=hops), fmt)


# --- small helpers for the page ----------------------------------------------------------


def choose(options: Sequence[str], wanted: str | None) -> str | None:
    """``wanted`` if it names one of ``options`` (any case), else None."""
    if not wanted:
        return None
    folded = wanted.casefold()
    for option in options:
        if option.casefold() == folded:
            return option
    return None
