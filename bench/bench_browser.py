"""How long until a page appears in a real browser? (headless Chromium, Playwright)

    .venv/bin/python bench/bench_browser.py                 # builds the sample into a temp store
    .venv/bin/python bench/bench_browser.py --store ./.kg --runs 7

``bench_app.py`` times the page script on the server; this times what a visitor waits for: from
``page.goto`` until the page's heading and its first table or chart are drawn and the script run
has finished. It starts ``streamlit run app.py`` on a free loopback port and reports

* ``first visit``: the first page after the server started (the store opened, imports, caches
  empty) — once;
* per page, ``warm``: a new browser session on the running app (a visitor arriving later), the
  median and worst of ``--runs``.

The target (issue 17) is under 3 s for a warm first page; it is printed, not asserted. Needs
Chromium (``apt-get install chromium``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample" / "hf-papers-listing.txt"
CHROMIUM = next((p for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser") if os.path.exists(p)), None)

#: page -> (address, a text shown once the page is drawn)
PAGES = {
    "overview": ("/", "Most evaluated datasets"),
    "dataset": ("/?view=entity&label=Dataset&name=COCO", "Metrics and who leads"),
    "method": ("/?view=entity&label=Method&name=OV-DINO", "Scores ("),
    "leaderboard": ("/?view=leaderboard&dataset=COCO", "higher is better"),
    "compare": ("/?view=compare&method=OV-DINO&method=MaskLLM", "Each cell is the method"),
    "search": ("/?view=search&q=coco", "match(es) for"),
}
_DONE = ("() => { const app = document.querySelector('[data-testid=\"stApp\"]');"
         " return app && app.getAttribute('data-test-script-state') === 'notRunning'"
         " && !document.querySelector('[data-stale=\"true\"]'); }")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _store(path: str | None) -> tuple[str, bool]:
    """The store given, or a temporary one with the sample built into it by ``kg build``."""
    if path:
        return path, False
    home = tempfile.mkdtemp(prefix="kg-bench-browser-")
    subprocess.run([sys.executable, "-m", "kg.cli", "build", str(SAMPLE), "--store", home],
                   cwd=ROOT, check=True, capture_output=True, timeout=900)
    return home, True


def _rss_mib(pid: int) -> float:
    """Resident memory of a process and its children, in MiB (Linux /proc)."""
    total = 0
    try:
        out = subprocess.run(["ps", "-o", "rss=", "--ppid", str(pid), "-p", str(pid)],
                             capture_output=True, text=True).stdout
        total = sum(int(x) for x in out.split())
    except (OSError, ValueError):
        pass
    return total / 1024


def _visit(browser, url: str, text: str) -> float:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(120_000)
    started = time.perf_counter()
    page.goto(url)
    page.get_by_text(text, exact=False).first.wait_for(state="visible")
    page.wait_for_function(_DONE)
    elapsed = time.perf_counter() - started
    errors = page.locator('[data-testid="stException"]').count()
    context.close()
    if errors:
        raise SystemExit(f"{url}: the page raised an exception")
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", help="store directory [default: a temp dir with the sample]")
    parser.add_argument("--runs", type=int, default=5, help="new browser sessions per page")
    parser.add_argument("--target", type=float, default=3.0, help="seconds a warm first page may take")
    parser.add_argument("--pages", nargs="*", default=list(PAGES), choices=list(PAGES))
    args = parser.parse_args(argv)
    if CHROMIUM is None:
        print("no Chromium at /usr/bin/chromium: apt-get install chromium", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    home, temporary = _store(args.store)
    port = _free_port()
    env = dict(os.environ, KG_STORE=home)
    env.pop("KG_DATABASE", None)
    started = time.perf_counter()
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.address",
         "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        while True:
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as reply:
                    if reply.read().strip() == b"ok":
                        break
            except OSError:
                if server.poll() is not None or time.perf_counter() - started > 120:
                    raise SystemExit("streamlit did not start")
                time.sleep(0.2)
        up = time.perf_counter() - started
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu",
                                                "--disable-dev-shm-usage"])
            first = _visit(browser, url + PAGES["overview"][0], PAGES["overview"][1])
            print(f"server up in {up:.1f} s; first visit (store opened, caches empty) {first:.2f} s; "
                  f"server memory {_rss_mib(server.pid):.0f} MiB")
            print(f"{'page':<12} {'warm median':>12} {'warm max':>9}   (s, {args.runs} new sessions each)")
            medians = {}
            for name in args.pages:
                address, text = PAGES[name]
                _visit(browser, url + address, text)  # the page's own caches filled once
                times = [_visit(browser, url + address, text) for _ in range(args.runs)]
                medians[name] = statistics.median(times)
                print(f"{name:<12} {medians[name]:>12.2f} {max(times):>9.2f}")
            browser.close()
        print(f"server memory after: {_rss_mib(server.pid):.0f} MiB")
        verdict = "under" if medians.get("overview", 0) < args.target else "OVER"
        print(f"warm first page (overview) {medians.get('overview', float('nan')):.2f} s: {verdict} the "
              f"{args.target} s target")
    finally:
        os.killpg(server.pid, 15)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, 9)
        if temporary:
            shutil.rmtree(home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
