"""The explorer: ask the graph research questions and see the evidence.

Run with ``kg app`` (or ``streamlit run app.py``); the store comes from
``$KG_STORE`` (default ``./.kg``; a ``bolt://`` URI works too). Every view is a
URL: ``?view=leaderboard&dataset=COCO``, ``?view=entity&label=Method&name=MDETR``.

This file is layout only: queries, shaping, evidence and graphs live in
``kg/explorer.py``. User text is shown escaped; the only raw HTML is displaCy's
rendering of an evidence sentence (which escapes the sentence).
"""

from __future__ import annotations

import html

import streamlit as st

from kg import explorer as ex
from kg.api import Graph, KGError

st.set_page_config(page_title="ML knowledge graph", page_icon="🔎", layout="wide")


# --- the store, opened once ---------------------------------------------------------------

@st.cache_resource(show_spinner="Opening the graph…")
def open_graph(spec: str, database: str | None) -> Graph:
    return ex.connect(spec, database)


@st.cache_resource
def generation() -> dict:
    """Bumped when papers are added, so cached answers are recomputed."""
    return {"n": 0}


try:
    kg_graph = open_graph(ex.store_spec(), ex.store_database())  # the page is a layer over the Python API
except KGError as error:
    st.error(f"Cannot open the graph: {error}")
    st.stop()
STORE_ID = kg_graph.describe()
if "(database" not in STORE_ID:  # the embedded store's description omits it
    STORE_ID += f" · database {kg_graph.store.database or 'default'}"


@st.cache_resource(ttl=300, show_spinner=False)
def _index(store_id: str, gen: int) -> ex.EntityIndex:
    return ex.entity_index(kg_graph)


@st.cache_data(ttl=300, show_spinner=False, max_entries=256)
def _ask(what: str, store_id: str, gen: int, *args):
    return getattr(ex, what)(kg_graph, *args)


def index() -> ex.EntityIndex:
    return _index(STORE_ID, generation()["n"])


def ask(what: str, *args):
    """A cached answer of ``explorer.<what>(kg_graph, *args)``."""
    return _ask(what, STORE_ID, generation()["n"], *args)


def refresh() -> None:
    generation()["n"] += 1


# --- navigation: every view is a URL -------------------------------------------------------

def go(view: str, **params) -> None:
    """Callback: open a view (query parameters are the state). One change of the address, so
    one browser history entry: Back returns to the page before."""
    st.query_params.from_dict({"view": view, **{k: str(v) for k, v in params.items() if v not in (None, "")}})
    st.session_state["find"] = None


def param(name: str, default: str | None = None) -> str | None:
    return st.query_params.get(name, default)


def bound_select(label: str, options: list[str], name: str, resolve=None, **kwargs) -> str | None:
    """A selectbox whose value is the ``?name=`` query parameter (any case or alias accepted)."""
    key = f"w-{name}"
    if not options:
        st.selectbox(label, [], key=key, disabled=True, **kwargs)
        return None
    wanted = param(name)
    chosen = ex.choose(options, wanted)
    if chosen is None and wanted and resolve:
        chosen = ex.choose(options, resolve(wanted))
    if chosen is not None:
        st.session_state[key] = chosen
    elif st.session_state.get(key) not in options:
        st.session_state[key] = options[0]

    shown_in = param("view")

    def sync():  # the visitor's choice: a new address (a history entry), on the view it was made in
        if param("view") == shown_in:
            st.query_params[name] = st.session_state[key]

    # a default is not written into the address: that would add a history entry Back returns to
    return st.selectbox(label, options, key=key, on_change=sync, **kwargs)


def bound_text(label: str, name: str, default: str = "", **kwargs) -> str:
    """A text input whose value is the ``?name=`` query parameter."""
    key = f"w-{name}"
    wanted = param(name)
    if wanted is not None:
        st.session_state[key] = wanted
    elif key not in st.session_state:
        st.session_state[key] = default

    shown_in = param("view")

    def sync():
        if param("view") == shown_in:
            st.query_params[name] = st.session_state[key]

    return st.text_input(label, key=key, on_change=sync, **kwargs)


def resolver(label: str):
    def resolve(text: str) -> str | None:
        entity = index().resolve(text, label)
        return entity.name if entity else None
    return resolve


def nav_button(text: str, view: str, key: str, **params) -> None:
    st.button(text, key=key, on_click=go, args=(view,), kwargs=params)


def table(rows, key: str, on_other=None, **kwargs) -> None:
    """A read-only table, in a keyed container (tests find it by key). A click on a name (a
    method, dataset, task, metric or paper) opens its page; on any other cell, ``on_other(row,
    column)`` is called if given."""
    rows = list(rows)
    columns = list(rows[0]) if rows else []
    config = {**link_config(columns), **kwargs.pop("column_config", {})}
    with st.container(key=key):
        if rows and (config or on_other):
            grid = f"{key}-grid"
            st.dataframe(rows, hide_index=True, width="stretch", column_config=config, key=grid,
                         on_select=opener(grid, rows, on_other), selection_mode="single-cell", **kwargs)
        else:
            st.dataframe(rows, hide_index=True, width="stretch", column_config=config, **kwargs)


def link_config(columns) -> dict:
    """Name columns marked as links (the grid draws on a canvas: a click selects the cell)."""
    return {c: st.column_config.TextColumn(f"{c} ↗", help="Click a name to open its page")
            for c in ex.link_columns(columns)}


def opener(grid: str, rows: list[dict], on_other=None):
    """Callback of a grid's selection: a clicked name opens its page (one history entry)."""
    def open_clicked():
        selection = st.session_state[grid].selection
        for r, column in selection.get("cells") or []:
            target = ex.cell_destination(rows[r], column, index()) if r < len(rows) else None
            if target:
                go(**target)
            elif on_other and r < len(rows):
                on_other(r, column)
            return
        for r in selection.get("rows") or []:
            if on_other and r < len(rows):
                on_other(r, None)
            return
    return open_clicked


# --- evidence -----------------------------------------------------------------------------

def evidence_table(rows: list[dict], columns: list[str], view: str, key: str, subject=None) -> int | None:
    """Rows as a table: a click on a name opens its page, a click elsewhere (or the row's box)
    shows that row's evidence sentence, highlighted, with its paper. Returns the shown row."""
    if not rows:
        st.info("No rows.")
        return None
    table = [{c: row.get(c) for c in columns} for row in rows]
    choice_key = f"{key}-evidence"

    def show_evidence(r: int, _column) -> None:
        st.session_state[choice_key] = r

    st.dataframe(table, hide_index=True, width="stretch", key=key, column_config=link_config(columns),
                 on_select=opener(key, rows, show_evidence), selection_mode=["single-row", "single-cell"])
    if st.session_state.get(choice_key) not in range(len(rows)):
        st.session_state[choice_key] = 0

    def describe(i: int) -> str:
        row = rows[i]
        words = [str(row.get(c)) for c in columns if c != "rank" and row.get(c) not in (None, "")][:3]
        return f"{i + 1}. " + " · ".join(words)

    st.caption("Click a name (↗) to open its page; click another cell for that row's evidence.")
    i = st.selectbox("Evidence for row", list(range(len(rows))), format_func=describe, key=choice_key)
    evidence_panel(rows[i], view, subject)
    return i


def evidence_panel(row: dict, view: str, subject=None) -> None:
    with st.container(border=True):
        sentence = row.get("evidence")
        if sentence:
            st.html(ex.evidence_html(sentence, ex.row_mentions(view, row, index(), subject), index()))
        else:
            st.caption("No evidence sentence stored for this row.")
        info = ask("paper_info", row["paper"]) if row.get("paper") else None
        info = info or {}
        paper_line(row.get("paper"), info.get("title") or row.get("title"), info.get("url") or row.get("url"),
                   key=f"{view}-open-paper")
        named = [e for e in ex.row_entities(row, index()) if (e.label, e.name) != subject]
        if named:  # every name in the row opens its page
            cols = st.columns(min(len(named), 4))
            for i, entity in enumerate(named):
                with cols[i % len(cols)]:
                    nav_button(f"Open {entity.name} · {entity.label}", "entity", key=f"{view}-open-entity-{i}",
                               label=entity.label, name=entity.name)
        if row.get("confidence") is not None:
            st.caption(f"confidence {row['confidence']}")


def paper_line(paper_id, title=None, url=None, key="open-paper") -> None:
    if not paper_id:
        return
    link = ex.paper_url(paper_id, url)
    text = f"**{ex.md_escape(title or 'Untitled paper')}** · paper id {ex.md_escape(paper_id)}"
    if link:
        text += " · " + ex.md_link("link", link)
    cols = st.columns([5, 1])
    cols[0].markdown(text)
    with cols[1]:
        nav_button("Open paper", "paper", key=key, paper=paper_id)


# --- the sidebar --------------------------------------------------------------------------

views = list(ex.VIEWS)
VIEW = param("view") if param("view") in views else "overview"  # read, not rewritten
st.session_state["view-radio"] = VIEW


def _switch_view():  # a new view starts afresh: no parameters of the one before
    go(st.session_state["view-radio"])


def _find():
    entity = index().by_id.get(st.session_state.get("find") or "")
    if entity:
        go("entity", label=entity.label, name=entity.name)


def _sidebar_search():
    text = (st.session_state.get("sidebar-search") or "").strip()
    st.session_state["sidebar-search"] = ""
    if text:  # the search view ranks with kg/search.py, as `kg query search` does
        go("search", q=text)


with st.sidebar:
    st.title("🔎 ML knowledge graph")
    st.text_input("Search", key="sidebar-search", on_change=_sidebar_search,
                  placeholder="any case, spacing, acronym or typo…",
                  help="Forgiving search (the `search` query): 'ov dino', 'llama3', 'newsclipping'. Enter to search.")
    entities = index()
    st.selectbox("Find a method, dataset, task or metric", [e.id for e in entities.entities], index=None,
                 key="find", format_func=lambda i: entities.by_id[i].option_label(), on_change=_find,
                 placeholder="Type a name or alias…", filter_mode="contains")
    st.radio("View", views, key="view-radio", format_func=ex.VIEWS.get, on_change=_switch_view)
    st.divider()
    st.caption(f"Store: {ex.store_kind(kg_graph)}")
    st.code(STORE_ID, language=None, wrap_lines=True)

heading, _query_name = ex.QUESTIONS[VIEW]
if VIEW == "compare" and param("of") in ("paper", "papers"):
    heading, _query_name = "How do these papers compare, benchmark by benchmark?", "paper-results"
st.header(heading)
if _query_name:
    st.caption(f"named query: `{_query_name}`")


# --- the views ----------------------------------------------------------------------------

def view_overview():
    data = ask("overview")
    nodes, relations = data["nodes"], data["relations"]
    if not nodes:
        st.info("The graph is empty: run `kg build data/sample/hf-papers-listing.txt`, or add papers.")
        nav_button("Add papers", "add", key="empty-add")
        return
    from kg import schema

    cols = st.columns(len(schema.NODE_LABELS))
    for col, label in zip(cols, schema.NODE_LABELS):
        col.metric(ex.PLURALS.get(label, label + "s"), nodes.get(label, 0))
    left, right = st.columns(2)
    with left:
        st.subheader("Most evaluated datasets")
        table(data["datasets"], key="ov-datasets")
        if data["datasets"]:
            import altair as alt
            chart = alt.Chart(alt.Data(values=data["datasets"])).mark_bar().encode(
                x=alt.X("papers:Q", title="papers"), y=alt.Y("dataset:N", sort="-x", title=None),
                tooltip=["dataset:N", "papers:Q", "methods:Q"])
            st.altair_chart(chart, width="stretch")
        for row in data["datasets"][:5]:
            c1, c2 = st.columns(2)
            with c1:
                nav_button(f"Methods on {row['dataset']}", "methods-on-dataset", key=f"ov-m-{row['dataset']}",
                           dataset=row["dataset"])
            with c2:  # only where there is something to rank
                if row.get("results"):
                    nav_button(f"Leaderboard {row['dataset']}", "leaderboard", key=f"ov-l-{row['dataset']}",
                               dataset=row["dataset"])
                else:
                    nav_button(f"Papers on {row['dataset']}", "dataset-papers", key=f"ov-p-{row['dataset']}",
                               dataset=row["dataset"])
    with right:
        st.subheader("Most reported metrics")
        table(data["metrics"], key="ov-metrics")
        st.subheader("Relations")
        table(ex.count_rows(relations, schema.RELATION_TYPES), key="ov-relations")
    st.subheader("Newest papers")
    papers = [{**p, "url": ex.paper_url(p["paper"], p.get("url"))} for p in data["papers"]]
    table(papers, key="ov-papers", column_config={"url": st.column_config.LinkColumn("link")})


def view_search():
    text = bound_text("Name or alias (any case)", "q", placeholder="e.g. COCO, newsclippings, BERT, accuracy")
    if not text.strip():
        st.caption("Type to search methods, datasets, tasks and metrics — or use the Find box in the sidebar.")
        return
    rows = ask("search", text, 50)
    st.subheader(f"{len(rows)} match(es) for “{text.strip()}”" if len(rows) < 50 else "50+ matches")
    shown = [{"label": r["label"], "name": r["name"], "aliases": ", ".join(r.get("aliases") or []),
              "papers": r.get("papers"), "match": r.get("match")} for r in rows]
    table(shown, key="search-results")
    for i, row in enumerate(rows[:12]):
        nav_button(f"{row['name']} · {row['label']}", "entity", key=f"search-open-{i}",
                   label=row["label"], name=row["name"])


def entity_selector() -> ex.Entity | None:
    entities = index()
    wanted = entities.resolve(param("name"), param("label")) if param("name") else None
    if wanted is None:
        if param("name"):
            st.warning(f"No {ex.md_escape(param('label') or 'entity')} named "
                       f"“{ex.md_escape(param('name'))}” in the graph.")
        st.caption("Pick an entity with the Find box in the sidebar, or search.")
        return None
    return wanted


def view_entity():
    entity = entity_selector()
    if entity is None:
        return
    st.subheader(f"{ex.md_escape(entity.name)} · {entity.label}")
    rows = ask("entity_rows", entity.label, entity.key)
    aliases = [a for a in (rows[0].get("aliases") if rows else entity.aliases) or [] if a != entity.name]
    st.markdown("**Also called:** " + (", ".join(ex.md_escape(a) for a in aliases) if aliases else "—"))
    papers = [r for r in rows if r.get("paper")]
    mentioned_by = max(rows[0].get("papers") or 0, len(papers)) if rows else 0
    if rows and rows[0].get("direction"):
        st.caption(ex.direction_note(rows[0]["direction"]))
    buttons = {
        "Dataset": [("Methods reporting on it", "methods-on-dataset", "dataset"), ("Leaderboard", "leaderboard", "dataset")],
        "Method": [("Where evaluated", "method", "method"), ("Lineage and comparisons", "lineage", "method"),
                   ("Related methods", "related", "method"), ("Compare with others", "compare", "method")],
    }.get(entity.label, [])
    if buttons:
        cols = st.columns(len(buttons))
        for col, (text, view, name) in zip(cols, buttons):
            with col:
                nav_button(text, view, key=f"ent-{view}", **{name: entity.name})
    if entity.label in ("Dataset", "Method"):
        family_line(entity)
    if entity.label == "Task":
        task_datasets(entity)
    elif entity.label == "Dataset":
        dataset_sections(entity)
    elif entity.label == "Method":
        method_sections(entity)
    near = ask("neighbourhood", entity.label, entity.key)
    # the graph is drawn only in its open tab: laid out while hidden, it was squeezed into a corner
    tab_rel, tab_graph, tab_papers, tab_export = st.tabs(
        [f"Relations ({len(near)})", "Graph", f"Papers ({mentioned_by:,})", "Export"], key="entity-tabs",
        on_change="rerun")
    with tab_rel:
        evidence_table(near, ["relation", "other", "other_label", "direction", "paper", "title"], "entity", key="entity-relations", subject=(entity.label, entity.name))
    with tab_graph:
        if tab_graph.open:
            neighbourhood_view(near, key=f"graph-{entity.id}")
    with tab_papers:
        if len(papers) < mentioned_by:
            st.caption(f"The newest {len(papers):,} of {mentioned_by:,} papers; "
                       "`kg query entity -p limit=…` lists more.")
        shown = [{"paper": r["paper"], "title": r.get("title"), "year": r.get("year"),
                  "how": ", ".join(r.get("relations") or []), "url": ex.paper_url(r["paper"], r.get("url"))}
                 for r in papers]
        table(shown, key="entity-papers", column_config={"url": st.column_config.LinkColumn("link")})
    with tab_export:
        export_controls(around=(entity.label, entity.name), key="entity-export")


def family_line(entity: ex.Entity) -> None:
    """Its family and its variants (versions, sizes, splits), each a link."""
    rows = ask("family", entity.label, entity.name)
    for relation, title in (("family", "Variant of"), ("variant", "Variants")):
        chosen = [r for r in rows if r["relation"] == relation]
        if not chosen:
            continue
        cols = st.columns([1, 5])
        cols[0].markdown(f"**{title}:**")
        with cols[1]:
            inner = st.columns(min(len(chosen[:8]), 4))
            for i, row in enumerate(chosen[:8]):
                detail = ", ".join(f"{k} {row[k]}" for k in ("version", "size", "split") if row.get(k))
                with inner[i % len(inner)]:
                    nav_button(row["name"] + (f" ({detail})" if detail else ""), "entity", key=f"fam-{relation}-{i}",
                               label=entity.label, name=row["name"])
        if len(chosen) > 8:
            cols[1].caption(f"and {len(chosen) - 8} more: `kg query family -p label={entity.label} "
                            f"-p name=\"{entity.name}\"`")


def dataset_sections(entity: ex.Entity) -> None:
    """A dataset's page, as Papers with Code drew it: metrics and who leads, the state of the art
    over time, the tasks it serves, the papers introducing it."""
    rows = ask("leaderboard", entity.name)
    metrics = ex.dataset_metrics(rows)
    st.markdown("**Metrics and who leads**")
    if metrics:
        table(metrics, key="dataset-metrics")
    else:
        st.caption("No leaderboard values on this dataset yet.")
    left, right = st.columns([3, 2])
    with left:
        dated = [m["metric"] for m in metrics if ex.sota_over_time(rows, m["metric"])[0]]
        if dated:  # no paper with a year: no empty chart and no metric to pick for it
            metric = bound_select("State of the art over time · metric", dated, "metric",
                                  resolve=resolver("Metric"))
            sota_chart(rows, metric)
        elif metrics:
            st.caption("No paper reporting here carries a year: no state-of-the-art chart over time.")
    with right:
        st.markdown("**Tasks it is used for**")
        tasks = ask("dataset_tasks", entity.name)
        if tasks:
            table([{"task": r["task"], "papers": r["papers"]} for r in tasks], key="dataset-tasks")
        else:
            st.caption("No paper evaluated on it names the task it addresses.")
        st.markdown("**Introduced by**")
        intro = ask("dataset_introductions", entity.name)
        if intro:
            table([{"dataset": r["dataset"], "title": r["title"], "paper": r["paper"]} for r in intro],
                  key="dataset-introduced")
        else:
            st.caption("No paper in the graph says it introduces this dataset.")


def sota_chart(rows: list[dict], metric: str) -> None:
    """Every dated claim as a point, the record line stepping up (or down) through the records."""
    points, direction = ex.sota_over_time(rows, metric)
    if not points:
        st.caption("No paper with a year reports this metric here: no chart over time.")
        return
    import altair as alt

    base = alt.Chart(alt.Data(values=points)).encode(
        x=alt.X("year:O", title="year"), color=alt.Color("series:N", title="variant · setting"))
    scale = alt.Scale(zero=False)
    dots = base.mark_circle(size=70).encode(
        y=alt.Y("value:Q", title=f"{metric} ({ex.direction_note(direction)})", scale=scale),
        tooltip=["method:N", "value:Q", "year:O", "series:N", "paper:N"])
    line = base.transform_filter("datum.record").mark_line(interpolate="step-after").encode(
        y=alt.Y("value:Q", scale=scale))
    with st.container(key="sota-chart"):
        st.altair_chart(line + dots, width="stretch")
    records = [p for p in points if p["record"]]
    st.caption(f"{len(points)} dated claim(s); {len(records)} set a record, the line through them.")


def method_sections(entity: ex.Entity) -> None:
    """A method's page: its scores, what it builds on and what builds on it, what it beats, its code."""
    scores = ask("method_results", (entity.name,))
    st.markdown(f"**Scores ({len(scores)})**")
    if scores:
        evidence_table(scores, ["dataset", "metric", "value", "unit", "setting", "paper"], "method-scores",
                       key="method-scores", subject=(entity.label, entity.name))
    else:
        st.caption("No leaderboard value of this method in the graph.")
    left, right = st.columns(2)
    for column, (title, what, key, none) in zip((left, right), (
            ("Lineage", "method_lineage", "method-lineage", "Nothing in the graph says what it builds on or what builds on it."),
            ("Compared with", "method_comparisons", "method-compared", "No comparison with another method in the graph."))):
        with column:
            st.markdown(f"**{title}**")
            rows = ask(what, entity.name)
            if rows:
                table([{"relation": r["relation"], "other": r["other"], "paper": r["paper"]} for r in rows], key=key)
            else:
                st.caption(none)
    code = ask("method_code", entity.name)
    if code:
        st.markdown("**Code:** " + " · ".join(ex.md_link(r["code"], r["code"]) for r in code))


def task_datasets(entity: ex.Entity) -> None:
    """A task's page: the datasets its papers are evaluated on, one click from each leaderboard."""
    rows = ask("task_datasets", entity.name)
    st.markdown("**Datasets and leaderboards**")
    if not rows:
        st.caption("No paper addressing this task names a dataset it is evaluated on.")
        return
    table([{"dataset": r["dataset"], "papers": r["papers"], "leaderboard values": r["results"],
            "metrics": ", ".join(r.get("metrics") or [])} for r in rows], key="task-datasets")
    boards = [(r["dataset"], metric) for r in rows if r["results"] for metric in (r.get("metrics") or [])][:8]
    if boards:
        cols = st.columns(min(len(boards), 4))
        for i, (dataset, metric) in enumerate(boards):
            with cols[i % len(cols)]:
                nav_button(f"Leaderboard {dataset} · {metric}", "leaderboard", key=f"task-board-{i}",
                           dataset=dataset, metric=metric)


def neighbourhood_view(near: list[dict], key: str) -> None:
    """A node's neighbourhood graph; nodes the visitor expands add their own neighbourhoods in
    place (remembered per graph for the session)."""
    expanded = st.session_state.setdefault(f"{key}-more", [])
    more = [ask("neighbourhood", label, node_key) for label, node_key in expanded]
    show_graph(ex.neighbourhood_graph(near, *more), key, expanded=expanded)


def show_graph(view: ex.GraphView, key: str, expanded: list | None = None) -> None:
    """The graph, a legend of its labels, and a panel for the clicked node: its properties, its
    page, and (where ``expanded`` is kept) its neighbours added in place."""
    if not view.edge_count and view.node_count <= 1:
        st.caption("No relations to draw.")
        return
    from st_link_analysis import Event, st_link_analysis

    chosen_key = f"{key}-selected"

    def on_event():
        value = st.session_state.get(key)
        node = ex.selected_node(value, view)
        if node:
            st.session_state[chosen_key] = node
        if expanded is not None:
            expanded.extend(m for m in ex.expanded_nodes(value, view) if m not in expanded)

    how = "click a node for its properties and page" + (", double-click to expand it" if expanded is not None else "")
    st.caption(f"{view.node_count} nodes, {view.edge_count} relations — {how}.")
    st.html('<div class="graph-legend">' + " ".join(
        f'<span style="margin-right:1em"><span style="display:inline-block;width:.8em;height:.8em;'
        f'border-radius:50%;background:{colour};margin-right:.3em"></span>{html.escape(label)} ({count})</span>'
        for label, colour, count in view.legend()) + "</div>")
    node_styles, edge_styles = ex.graph_styles(view)
    st_link_analysis(view.elements, layout=ex.GRAPH_LAYOUT, node_styles=node_styles, edge_styles=edge_styles,
                     height=480, key=key, on_change=on_event, events=[Event("select", "tap", "node")],
                     node_actions=["expand"] if expanded is not None else [])
    node = st.session_state.get(chosen_key)
    if node in view.members:
        node_panel(view, node, key, expanded)
    if expanded:
        st.button(f"Collapse the {len(expanded)} expanded node(s)", key=f"{key}-collapse",
                  on_click=expanded.clear)


def node_panel(view: ex.GraphView, node: str, key: str, expanded: list | None) -> None:
    """The clicked node: its properties, a link to its page, and expanding it in place."""
    label, node_key = view.members[node]
    data = next(n["data"] for n in view.elements["nodes"] if n["data"]["id"] == node)
    with st.container(border=True, key=f"{key}-panel"):
        st.markdown(f"**{ex.md_escape(data.get('name'))}** · {label}")
        props = {"key": node_key, **{k: v for k, v in data.items() if k not in ("id", "label", "name", "centre")}}
        st.caption(" · ".join(f"{k}: {ex.md_escape(v)}" for k, v in props.items()))
        cols = st.columns(2)
        target = view.targets.get(node)
        if target:
            with cols[0]:
                params = {k: v for k, v in target.items() if k != "view"}
                nav_button(f"Open {data.get('name')} · {label}" if label != "Result" else "Open its paper",
                           target["view"], key=f"{key}-open", **params)
        if expanded is not None and (label, node_key) in ex.expanded_nodes(
                {"action": "expand", "data": {"node_ids": [node]}}, view) and (label, node_key) not in expanded:
            cols[1].button("Expand its neighbours here", key=f"{key}-expand",
                           on_click=expanded.append, args=((label, node_key),))


def view_methods_on_dataset():
    datasets = ask("dataset_names")
    dataset = bound_select("Dataset", datasets, "dataset", resolve=resolver("Dataset"))
    if not dataset:
        st.info("The graph has no datasets yet.")
        return
    rows = ask("methods_on_dataset", dataset)
    st.subheader(f"{len(rows)} method(s) report on {ex.md_escape(dataset)}")
    evidence_table(rows, ["method", "dataset", "paper", "title"], "methods-on-dataset", key="mod")
    c1, c2 = st.columns(2)
    with c1:
        nav_button(f"Leaderboard of {dataset}", "leaderboard", key="mod-lb", dataset=dataset)
    with c2:
        nav_button(f"{dataset}'s page", "entity", key="mod-entity", label="Dataset", name=dataset)


def method_names() -> list[str]:
    return [e.name for e in index().of_label("Method")]


def view_method():
    method = bound_select("Method", method_names(), "method", resolve=resolver("Method"))
    if not method:
        st.info("The graph has no methods yet.")
        return
    rows = ask("method_profile", method)
    st.subheader(f"{ex.md_escape(method)}: {len(rows)} evaluation(s), task(s) and result(s)")
    evidence_table(rows, ["relation", "target", "label", "paper"], "method", key="profile")
    nav_button(f"{method}'s page", "entity", key="method-entity", label="Method", name=method)


def view_leaderboard():
    pairs = ask("leaderboard_datasets")
    datasets = list(dict.fromkeys(r["dataset"] for r in pairs))
    requested = param("dataset")
    if requested and ex.choose(datasets, requested) is None:
        entity = index().resolve(requested, "Dataset")
        if entity is None or ex.choose(datasets, entity.name) is None:
            datasets = [entity.name if entity else requested] + datasets
    dataset = bound_select("Dataset", datasets, "dataset", resolve=resolver("Dataset"))
    if not dataset:
        st.info("No results have been extracted yet.")
        return
    rows = ask("leaderboard", dataset)
    metrics = ex.leaderboard_metrics(rows)
    if not metrics:
        st.info(f"No scores reported on {ex.md_escape(dataset)} yet.")
        return
    metric = bound_select("Metric", metrics, "metric", resolve=resolver("Metric"))
    ranked, direction = ex.rank(rows, metric)
    st.subheader(f"{ex.md_escape(dataset)} · {ex.md_escape(metric)} ({ex.direction_note(direction)})")
    for row in ranked:
        row["dataset"] = dataset
    if ranked:
        import altair as alt
        values = [{"entry": f"{r['rank']}. {r['method']}" + (f" ({r['setting']})" if r.get("setting") else ""),
                   "value": r["value"], "paper": r["paper"]} for r in ranked[:30]]
        chart = alt.Chart(alt.Data(values=values)).mark_bar().encode(
            x=alt.X("value:Q", title=metric, scale=alt.Scale(zero=False)),
            y=alt.Y("entry:N", sort=None, title=None), tooltip=["entry:N", "value:Q", "paper:N"])
        st.altair_chart(chart, width="stretch")
    columns = ["rank", "method", "value", "unit", "setting", "variant", "year", "claims", "paper", "title"]
    if not any(r.get("year") for r in ranked):
        columns.remove("year")  # no paper of this board carries a year: no column of "None"
    picked = evidence_table(ranked, columns, "leaderboard", key="leaderboard")
    if picked is not None and ranked[picked].get("claim_rows"):
        row = ranked[picked]
        with st.expander(f"All {row['claims']} claim(s) behind {row['method']} on {row.get('variant') or dataset}"):
            st.dataframe([{k: c.get(k) for k in ("value", "unit", "year", "paper", "title", "evidence")}
                          for c in row["claim_rows"]], hide_index=True, width="stretch", key="leaderboard-claims")


def view_lineage():
    method = bound_select("Method", method_names(), "method", resolve=resolver("Method"))
    if not method:
        st.info("The graph has no methods yet.")
        return
    rows = ask("method_lineage", method)
    st.subheader(f"{ex.md_escape(method)}: {len(rows)} lineage relation(s)")
    st.caption("What the method is built on (based on, extends, fine-tunes) and what is built on it. "
               "Models a technique is only applied to, and baselines, are not lineage.")
    evidence_table(rows, ["relation", "other", "paper"], "lineage", key="lineage")
    compared = ask("method_comparisons", method)
    st.subheader(f"{len(compared)} comparison(s)")
    evidence_table(compared, ["relation", "other", "paper"], "comparisons", key="comparisons")


def view_dataset_papers():
    rows = ask("dataset_papers")
    st.subheader(f"{len(rows)} dataset introduction(s)")
    evidence_table(rows, ["dataset", "paper", "title"], "dataset-papers", key="dataset-papers")


def view_related():
    method = bound_select("Method", method_names(), "method", resolve=resolver("Method"))
    if not method:
        st.info("The graph has no methods yet.")
        return
    rows = ask("related_methods", method)
    st.subheader(f"{len(rows)} method(s) share benchmarks with {ex.md_escape(method)}")
    shown = [{"method": r["method"], "shared": r["shared"], "datasets": ", ".join(r["datasets"])} for r in rows]
    table(shown, key="related")
    for i, row in enumerate(rows[:10]):
        nav_button(f"{row['method']} ({row['shared']} shared)", "entity", key=f"related-{i}",
                   label="Method", name=row["method"])


def view_compare():
    """ORKG's comparison table: methods (or papers) as rows, dataset · metric as columns, each cell
    a value with its evidence; the table as CSV."""
    of = "paper" if param("of") in ("paper", "papers") else "method"
    st.session_state["w-compare-of"] = of
    st.radio("Compare", ["method", "paper"], key="w-compare-of", horizontal=True,
             format_func={"method": "Methods", "paper": "Papers"}.get,
             on_change=lambda: st.query_params.from_dict({"view": "compare", "of": st.session_state["w-compare-of"]}))
    asked = [m for m in st.query_params.get_all(of) if m]
    if of == "method":
        options, resolve = method_names(), resolver("Method")
        titles = {}
        chosen = [ex.choose(options, m) or ex.choose(options, resolve(m) or "") for m in asked]
    else:
        listed = ask("result_papers")
        titles = {r["paper"]: r["title"] for r in listed}
        options = list(dict.fromkeys([*asked, *titles]))
        chosen = asked
    chosen = list(dict.fromkeys(c for c in chosen if c))[:10]
    if st.session_state.get("w-compare") != chosen:
        st.session_state["w-compare"] = chosen

    def sync():
        st.query_params.from_dict({"view": "compare", **({"of": "paper"} if of == "paper" else {}),
                                   of: list(st.session_state["w-compare"])})

    picked = st.multiselect(f"{of.title()}s (2 to 10)", options, key="w-compare", on_change=sync, max_selections=10,
                            format_func=lambda p: f"{titles[p]} · {p}" if p in titles else p,
                            placeholder=f"Type a {of} name…" if of == "method" else "Type a paper's title or id…")
    query = "method-results -p methods" if of == "method" else "paper-results -p papers"
    if len(picked) < 2:
        st.caption(f"Pick two or more {of}s; `kg query {query}='[\"A\",\"B\"]'` gives the same values.")
        if len(picked) < 1:
            return
    rows = ask(f"{of}_results", tuple(picked))
    shown, cells = ex.comparison(picked, rows, by=of)
    blank = [r[of] for r in shown if not any((r[of], c) in cells for c in r if c not in (of, "title"))]
    if blank and len(blank) < len(shown):  # a row of empty cells says nothing: say it in words
        shown = [r for r in shown if r[of] not in blank]
        st.caption("No leaderboard value in the graph for " + ", ".join(
            ex.md_escape(titles.get(b, b)) for b in blank) + " (results such as improvements or costs "
            "are on its page).")
    st.caption(f"Each cell is the {of}'s best value on that dataset and metric (settings apart); "
               "click a value (or pick a cell below) for its evidence, a name to open its page.")
    keys = sorted(cells)

    def show_cell(r: int, column) -> None:  # a value's cell shows its evidence
        if (shown[r][of], column) in cells:
            st.session_state["compare-cell"] = keys.index((shown[r][of], column))

    table(shown, key="compare-table", on_other=show_cell)
    st.download_button("Download CSV", ex.csv_for_people(shown), file_name="comparison.csv", mime="text/csv",
                       key="compare-csv")
    if not cells:
        st.info(f"None of these {of}s reports a leaderboard value in the graph.")
        return
    i = st.selectbox("Evidence for cell", range(len(keys)), key="compare-cell",
                     format_func=lambda k: f"{titles.get(keys[k][0], keys[k][0])} · {keys[k][1]}: "
                                           f"{cells[keys[k]]['value']:g}{cells[keys[k]].get('unit') or ''}")
    evidence_panel(cells[keys[i]], "compare")


def view_paper():
    newest = ask("overview")["papers"]
    paper_id = bound_text("Paper id", "paper", default=newest[0]["paper"] if newest else "").strip()
    if not paper_id:
        return
    info = ask("paper_info", paper_id)
    if info is None:
        st.warning(f"No paper {ex.md_escape(paper_id)} in the graph.")
        return
    rows = ask("paper", paper_id)
    near = ask("neighbourhood", "Paper", paper_id)
    title = info.get("title") or paper_id
    st.subheader(ex.md_escape(title))
    link = ex.paper_url(paper_id, info.get("url"))
    facts = [f"paper id {ex.md_escape(paper_id)}"]
    if info.get("year"):
        facts.append(str(info["year"]))
    if link:
        facts.append(ex.md_link(link, link))
    st.markdown(" · ".join(facts))
    if any(r.get("relation") == "HAS_RESULT" for r in rows):
        nav_button("Compare with other papers", "compare", key="paper-compare", of="paper", paper=paper_id)
    if info.get("abstract"):
        st.html(ex.evidence_html(info["abstract"], ex.paper_mentions(rows, index()), index()))
    tab_rel, tab_graph = st.tabs([f"Relations ({len(rows)})", "Graph"], key="paper-tabs", on_change="rerun")
    with tab_rel:
        evidence_table([{**r, "paper": paper_id, "title": title} for r in rows],
                       ["relation", "target", "label"], "paper", key="paper-rel")
    with tab_graph:
        if tab_graph.open:
            neighbourhood_view(near, key=f"graph-paper-{paper_id}")


def view_console():
    examples = {"": ""} | ex.EXAMPLE_QUERIES

    def use_example():
        st.session_state["cypher"] = examples[st.session_state["console-example"]]

    st.selectbox("Examples", list(examples), key="console-example", on_change=use_example,
                 format_func=lambda k: k or "—")
    if "cypher" not in st.session_state:
        st.session_state["cypher"] = param("cypher", "MATCH (d:Dataset) RETURN d.name AS dataset LIMIT 10")
    with st.form("console"):
        text = st.text_area("Cypher (read-only: writes and schema changes are refused by the database)",
                            key="cypher", height=140)
        params_text = st.text_input("Parameters (JSON object)", value="", key="console-params",
                                    placeholder='{"name": "COCO"}')
        limit = st.number_input("Row limit", 1, ex.CONSOLE_ROW_LIMIT, 200, key="console-limit")
        submitted = st.form_submit_button("Run", type="primary")
    if not submitted and not st.session_state.get("console-ran"):
        return
    st.session_state["console-ran"] = True
    try:
        params = ex.parse_params(params_text)
    except ValueError as error:
        st.error(f"Parameters: {error}")
        return
    from kg.api import LimitReached  # the console is the API's read-only Cypher

    try:
        columns, rows = kg_graph.cypher_rows(text, params, limit=int(limit), timeout=10.0)
    except LimitReached as error:
        st.error(f"Stopped — {error}", icon="⏱️")
        return
    except KGError as error:
        message = str(error)
        if message.lower().startswith("refused"):
            st.error(f"Refused — {message[len('refused'):].lstrip(':— ')}", icon="🚫")
        else:
            st.error(f"Query failed: {message}")
        return
    st.success(f"{len(rows)} row(s)" + (" (row limit reached)" if len(rows) >= limit else ""))
    table(ex.console_table(columns, rows), key="console-result")
    drawn = ex.console_graph(kg_graph, columns, rows)
    if drawn is not None:
        show_graph(drawn, key=f"console-graph-{hash(text) & 0xffff}")


def view_add():
    problem = ex.extractor_available()
    if problem:
        st.error(f"Cannot add papers: {problem}")
        return
    upload, paste = st.tabs(["Upload a file", "Paste an abstract"])
    papers, problems, source = [], [], None
    with upload:
        st.caption("Any format `kg build` reads: listing text, JSONL, CSV/TSV, arXiv Atom XML, SciTLDR "
                   f"(optionally .gz); at most {ex.MAX_UPLOAD_MB} MB.")
        file = st.file_uploader("Papers file", type=list(ex.UPLOAD_TYPES), key="upload")
        if file is not None and st.button("Extract and add", key="add-upload", type="primary"):
            if file.size > ex.MAX_UPLOAD_BYTES:
                problems = [ex.upload_problem(file.name, file.size)]
            else:
                papers, problems = ex.papers_from_upload(file.name, file.getvalue())
            source = file.name
    with paste:
        with st.form("paste", clear_on_submit=False):
            title = st.text_input("Title", key="paste-title")
            abstract = st.text_area("Abstract", key="paste-abstract", height=200)
            url = st.text_input("Link (optional, http/https)", key="paste-url")
            if st.form_submit_button("Extract and add", type="primary"):
                papers, problems = ex.papers_from_paste(title, abstract, url)
                source = "pasted abstract"
    for message in problems:
        st.warning(message)
    if source and papers:
        bar = st.progress(0.0, text=f"Extracting {len(papers)} paper(s) from {source}…")
        try:
            result = ex.add_papers(kg_graph, papers, progress=lambda f, text: bar.progress(min(1.0, f), text=text))
        except KGError as error:
            st.error(f"Could not add the papers: {error}")
            return
        refresh()
        st.session_state["added"] = result
    result = st.session_state.get("added")
    if result is not None:
        show_added(result)


def show_added(result: ex.AddResult) -> None:
    st.success(f"Added {result.loaded} paper(s) ({result.unchanged} already in the graph, "
               f"{result.updated} updated) in {result.seconds:.1f} s.")
    table([{"paper": r["id"], "title": r.get("title"), "entities": sum(1 for e in r.get("entities", []) if e.get("graph", True)),
            "relations": len(r.get("relations", [])), "results": len(r.get("results", []))}
           for r in result.records], key="added-papers")
    st.subheader("Entities found")
    table(ex.added_entities(result.records), key="added-entities")
    st.subheader("Relations and results")
    table(ex.added_relations(result.records), key="added-relations")
    for i, record in enumerate(result.records[:10]):
        nav_button(f"Open {record.get('title') or record['id']}", "paper", key=f"added-open-{i}", paper=record["id"])


def export_controls(around=None, key: str = "export") -> None:
    problem = ex.export_available()
    if problem:
        st.info(f"Export: {problem}")
        return
    cols = st.columns(3)
    fmt = cols[0].selectbox("Format", ex.EXPORT_FORMATS, key=f"{key}-format",
                            format_func=lambda f: ex.EXPORT_NAMES.get(f, f))
    hops = cols[1].number_input("Hops", 1, 3, 1, key=f"{key}-hops") if around else None
    if cols[2].button("Prepare download", key=f"{key}-prepare"):
        try:
            data, mime, filename = ex.export_bytes(kg_graph, fmt, around=around, hops=int(hops or 1))
        except (KGError, ValueError) as error:
            st.error(f"Export failed: {error}")
            return
        st.session_state[f"{key}-ready"] = (fmt, around, data, mime, filename)
    ready = st.session_state.get(f"{key}-ready")
    if ready and ready[0] == fmt and ready[1] == around:
        _, _, data, mime, filename = ready
        st.download_button(f"Download {filename} ({len(data):,} bytes)", data, file_name=filename, mime=mime,
                           key=f"{key}-download", type="primary")


def view_export():
    scope = st.radio("What", ["whole graph", "around one entity"], key="export-scope", horizontal=True)
    around = None
    if scope == "around one entity":
        entities = index()
        options = [e.id for e in entities.entities]
        chosen = st.selectbox("Entity", options, key="export-entity", format_func=lambda i: entities.by_id[i].option_label(),
                              filter_mode="contains")
        if chosen:
            entity = entities.by_id[chosen]
            around = (entity.label, entity.name)
    export_controls(around=around, key="export")


{
    "overview": view_overview, "search": view_search, "entity": view_entity,
    "methods-on-dataset": view_methods_on_dataset, "method": view_method, "leaderboard": view_leaderboard,
    "lineage": view_lineage, "dataset-papers": view_dataset_papers, "related": view_related,
    "compare": view_compare,
    "paper": view_paper, "console": view_console, "add": view_add, "export": view_export,
}[VIEW]()
