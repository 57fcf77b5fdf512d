"""The explorer in a real browser: ``streamlit run app.py`` against a store built
from the bundled sample, driven by Playwright with Debian's Chromium.

Screenshots go to ``test-artifacts/`` (gitignored). Skipped only when no
Chromium is installed (``apt-get install chromium``); ``playwright install`` is
never needed.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import stop_process

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample" / "hf-papers-listing.txt"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = next((p for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser") if os.path.exists(p)), None)
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium at /usr/bin/chromium "
                                "(apt-get install chromium) — the browser test needs one")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def sample_home(tmp_path_factory) -> Path:
    """A store built from the sample by ``kg build`` in its own process."""
    home = tmp_path_factory.mktemp("browser-store")
    done = subprocess.run([sys.executable, "-m", "kg.cli", "build", str(SAMPLE), "--store", str(home)],
                          cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    return home


@pytest.fixture(scope="module")
def app_url(sample_home):
    """``streamlit run app.py`` on a free loopback port, serving the sample store."""
    port = _free_port()
    env = dict(os.environ, KG_STORE=str(sample_home))
    env.pop("KG_DATABASE", None)
    log = open(sample_home / "streamlit.log", "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as reply:
                    if reply.read().strip() == b"ok":
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail("streamlit did not start:\n" + (sample_home / "streamlit.log").read_text()[-3000:])
            time.sleep(0.5)
        yield url
    finally:
        stop_process(process, timeout=30)
        log.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    context.close()


def _settled(page, text: str) -> None:
    """Wait until ``text`` is shown, the script run has finished and nothing is stale."""
    page.get_by_text(text, exact=False).first.wait_for(state="visible")
    page.wait_for_function(
        "() => { const app = document.querySelector('[data-testid=\"stApp\"]');"
        " return app && app.getAttribute('data-test-script-state') === 'notRunning'"
        " && !document.querySelector('[data-stale=\"true\"]'); }")
    page.wait_for_timeout(500)


def _stable(read, every_ms: int = 300, tries: int = 40):
    """``read()`` once two reads in a row agree (e.g. node positions after a layout)."""
    last = read()
    for _ in range(tries):
        time.sleep(every_ms / 1000)
        now = read()
        if now == last:
            return now
        last = now
    return last


def _no_exception(page, shot: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / shot), full_page=True)
    errors = page.locator('[data-testid="stException"]')
    assert errors.count() == 0, errors.first.inner_text()


def test_overview_search_entity_and_leaderboard(page, app_url):
    page.goto(app_url + "/")
    _settled(page, "What does the graph hold?")
    _settled(page, "Most evaluated datasets")
    body = page.locator("body").inner_text()
    assert "Papers" in body and "Methods" in body and "Newest papers" in body
    _no_exception(page, "browser-1-overview.png")

    # Search "COCO" in the search view: a result button opens the entity page.
    page.goto(app_url + "/?view=search")
    _settled(page, "Find a method, dataset, task or metric")
    box = page.get_by_label("Name or alias (any case)")
    box.fill("COCO")
    box.press("Enter")
    _settled(page, "match(es) for")
    _no_exception(page, "browser-2-search-coco.png")
    page.get_by_role("button", name="COCO · Dataset", exact=True).click()
    _settled(page, "COCO · Dataset")
    _no_exception(page, "browser-3-entity-coco.png")

    # The entity page links to the dataset's leaderboard.
    page.get_by_role("button", name="Leaderboard", exact=True).click()
    _settled(page, "Who leads on this dataset?")
    _settled(page, "higher is better")
    assert "view=leaderboard" in page.url and "dataset=COCO" in page.url
    # the ranked rows: the evidence sentence of the leader, with its entities marked
    evidence = page.locator(".entities").first
    evidence.wait_for(state="visible")
    page.locator('td[role="gridcell"]', has_text="58.4").first.wait_for(state="attached")  # the table (a canvas grid)
    assert "OV-DINO" in evidence.inner_text() and "COCO" in evidence.inner_text()
    page.locator('[data-testid="stDataFrame"]').first.wait_for(state="visible")
    _no_exception(page, "browser-4-leaderboard-coco.png")


def _click_cells_until(page, grid, row: int, wanted_url: str, max_x: int = 600) -> None:
    """Click the cells of a grid's data row from the left until the address shows ``wanted_url``
    (the grid is a canvas: the test walks it as a visitor's pointer would)."""
    for dx in range(45, max_x, 35):
        grid.scroll_into_view_if_needed()
        box = _stable(grid.bounding_box)  # charts above it render late and push it down
        page.mouse.click(box["x"] + dx, box["y"] + 35 * (row + 1) + 17)  # header and rows: 35 px
        page.wait_for_timeout(500)
        page.wait_for_function("() => document.querySelector('[data-testid=\"stApp\"]')"
                               ".getAttribute('data-test-script-state') === 'notRunning'")
        if wanted_url in page.url:
            return
    raise AssertionError(f"no cell of row {row} led to {wanted_url}; at {page.url}")


def _graph_frame(page):
    iframe = page.locator('iframe[title*="st_link_analysis"]')
    iframe.wait_for(state="visible")
    frame = iframe.element_handle().content_frame()
    frame.wait_for_function("() => { const c = document.getElementById('cy');"
                            " return c && c._cyreg && c._cyreg.cy.nodes().length > 1; }")
    return iframe, frame


_POSITIONS = ("() => document.getElementById('cy')._cyreg.cy.nodes().map("
              "n => ({name: n.data('name'), label: n.data('label'), at: n.renderedPosition()}))")


def test_linkable_leaderboard_and_graph(page, app_url):
    page.goto(app_url + "/?view=leaderboard&dataset=coco&metric=AP")
    _settled(page, "COCO · AP")
    evidence = page.locator(".entities").first
    evidence.wait_for(state="visible")
    assert "OV-DINO" in evidence.inner_text()
    _no_exception(page, "browser-5-leaderboard-link.png")
    # a click on the leader's name (the row's first cells only select the row) opens its page
    _click_cells_until(page, page.locator('[data-testid="stDataFrame"]').first, 0, "name=OV-DINO")
    _settled(page, "OV-DINO · Method")
    assert "label=Method" in page.url
    _settled(page, "Scores (3)")  # the method page: its scores, lineage, comparisons
    _no_exception(page, "browser-6-method-page.png")

    # The entity page's neighbourhood graph: a legend, a click shows the node's properties and
    # its page, expanding a node adds its neighbours in place.
    page.goto(app_url + "/?view=entity&label=Dataset&name=NewsCLIPpings")
    _settled(page, "NewsCLIPpings · Dataset")
    page.get_by_role("tab", name="Graph").click()
    iframe, frame = _graph_frame(page)
    _stable(lambda: frame.evaluate(_POSITIONS))  # the layout animates for a while
    # laid out at full width the first time it is shown: the canvas fills its frame, and the
    # nodes sit around its middle (they sat in the left quarter when drawn while hidden)
    canvas = frame.evaluate("() => { const c = document.getElementById('cy');"
                            " return {w: c.clientWidth, frame: document.documentElement.clientWidth}; }")
    assert canvas["w"] >= 0.9 * canvas["frame"], canvas
    xs = [n["at"]["x"] for n in frame.evaluate(_POSITIONS)]
    assert 0.25 * canvas["w"] < sum(xs) / len(xs) < 0.75 * canvas["w"], (xs, canvas)
    legend = page.locator(".graph-legend").inner_text()
    assert "Dataset (1)" in legend and "Method (1)" in legend and "Paper (1)" in legend, legend
    # the random layout can leave a node under the canvas's side panel: fit every node
    # into view, away from the edges, before clicking one
    frame.evaluate("() => document.getElementById('cy')._cyreg.cy.fit(undefined, 90)")
    nodes = _stable(lambda: frame.evaluate(_POSITIONS))
    assert {"NewsCLIPpings", "LAMAR"} <= {n["name"] for n in nodes}, nodes
    _no_exception(page, "browser-7-entity-graph.png")
    lamar = next(n for n in nodes if n["name"] == "LAMAR")
    iframe.scroll_into_view_if_needed()  # the sections above can push the graph below the fold
    box = _stable(iframe.bounding_box)
    page.mouse.click(box["x"] + lamar["at"]["x"], box["y"] + lamar["at"]["y"])
    _settled(page, "Expand its neighbours here")
    panel = page.locator('[class*="st-key-graph-Dataset"][class*="-panel"]').inner_text()
    assert "LAMAR" in panel and "Method" in panel and "key: lamar" in panel, panel
    page.get_by_role("button", name="Expand its neighbours here").click()
    _settled(page, "Collapse the 1 expanded node(s)")
    iframe, frame = _graph_frame(page)
    names = {n["name"] for n in _stable(lambda: frame.evaluate(_POSITIONS))}
    assert "VERITE" in names and len(names) > len(nodes), names  # LAMAR's other benchmark
    _no_exception(page, "browser-8-graph-expanded.png")
    page.get_by_role("button", name="Open LAMAR · Method").click()
    _settled(page, "LAMAR · Method")
    assert "label=Method" in page.url and "name=LAMAR" in page.url
    _no_exception(page, "browser-9-walked-to-lamar.png")


def test_dataset_and_task_pages_reach_a_leaderboard(page, app_url):
    """A dataset page names the tasks it serves; a click on one opens the task's page, whose
    leaderboard button opens the board: dataset → task → leaderboard in two clicks."""
    page.goto(app_url + "/?view=entity&label=Dataset&name=COCO")
    _settled(page, "COCO · Dataset")
    _settled(page, "Metrics and who leads")
    body = page.locator("body").inner_text()
    assert "Tasks it is used for" in body and "Introduced by" in body
    _no_exception(page, "browser-10-dataset-page.png")
    _click_cells_until(page, page.locator(".st-key-dataset-tasks").first, 0, "label=Task")
    _settled(page, "Datasets and leaderboards")
    page.get_by_role("button", name="Leaderboard COCO · AP").click()
    _settled(page, "COCO · AP")
    assert "view=leaderboard" in page.url and "metric=AP" in page.url
    _no_exception(page, "browser-11-task-to-leaderboard.png")


def test_comparison_csv_matches_the_table(page, app_url):
    import csv
    import io

    page.goto(app_url + "/?view=compare&method=OV-DINO&method=MaskLLM")
    _settled(page, "Each cell is the method's best value")
    grid = page.locator(".st-key-compare-table")
    grid.locator('td[role="gridcell"]').first.wait_for(state="attached")
    headers = [h.strip().removesuffix(" ↗") for h in grid.locator('th[role="columnheader"]').all_inner_texts()]
    cells = grid.locator('td[role="gridcell"]').all_inner_texts()
    shown = [cells[i:i + len(headers)] for i in range(0, len(cells), len(headers))]
    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").click()
    rows = list(csv.reader(io.StringIO(open(download.value.path(), encoding="utf-8").read())))
    assert rows[0] == headers, (rows[0], headers)
    assert [r[0] for r in rows[1:]] == ["OV-DINO", "MaskLLM"]
    for got, seen in zip(rows[1:], shown):
        for value, text in zip(got, seen):
            assert value == text.strip() or (not value and text.strip() in ("", "None")) or \
                float(value) == float(text), (got, seen)
    _no_exception(page, "browser-12-comparison.png")


def test_back_and_forward_move_one_page_at_a_time(page, app_url):
    """Three navigations, then Back three times and Forward once: each step shows the page
    (and address) before or after it."""
    page.goto(app_url + "/")
    _settled(page, "Most evaluated datasets")
    steps = [("button", "Leaderboard COCO", "Who leads on this dataset?", "view=leaderboard"),
             ("button", "Open OV-DINO · Method", "OV-DINO · Method", "name=OV-DINO"),
             ("button", "Where evaluated", "Where is this method evaluated", "view=method")]
    seen = [(page.url, "What does the graph hold?")]
    for _kind, name, heading, in_url in steps:
        page.get_by_role("button", name=name).first.click()
        _settled(page, heading)
        assert in_url in page.url
        seen.append((page.url, heading))
    for url, heading in reversed(seen[:-1]):
        page.go_back()
        _settled(page, heading)
        assert page.url == url
    page.go_forward()
    _settled(page, seen[1][1])
    assert page.url == seen[1][0]
    _no_exception(page, "browser-13-back-forward.png")


def test_kg_app_stops_with_every_process_it_started(browser, tmp_path):
    """SIGTERM to ``kg app`` after a visitor opened the store: no process of its group is left
    5 s later, nor the store's holder, and the store's endpoint file is gone (it was closed)."""
    home = tmp_path / "store"
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "kg.cli", "app", "--store", str(home), "--port", str(port)],
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                    break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, "kg app did not start"
                time.sleep(0.5)
        context = browser.new_context()
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.goto(f"http://127.0.0.1:{port}/")
        _settled(page, "Store:")  # the script ran: the explorer holds the store (its JVM started)
        assert (home / "endpoint.json").exists()
        context.close()
        started = time.monotonic()
        os.kill(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
        while _group(process.pid) and time.monotonic() - started < 5:
            time.sleep(0.2)
        assert not _group(process.pid), _group(process.pid)
        # the store's holder (a process of its own, started for the explorer) ends once idle
        while time.monotonic() - started < 5 and (
                (home / "endpoint.json").exists()
                or subprocess.run(["pgrep", "-f", f"serve --store {home}"], capture_output=True).returncode == 0):
            time.sleep(0.1)
        assert not (home / "endpoint.json").exists(), "the store's holder is still serving 5 s later"
        assert subprocess.run(["pgrep", "-f", f"serve --store {home}"], capture_output=True).returncode == 1
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)


def _group(pgid: int) -> list[str]:
    """The live (not zombie) processes of a process group."""
    out = subprocess.run(["ps", "-o", "pid=,stat=,args=", "-g", str(pgid)], capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if line.strip() and line.split()[1][0] != "Z"]
