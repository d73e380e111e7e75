"""The built website (tools/build_site.py) in headless Chromium, and the notebooks as a real Jupyter kernel ran them.

Run by tools/site.sh after the build; `pytest tests/site` on a machine without the built site stops with a clear message.
"""
import functools, http.server, json, os, shutil, sys, threading
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "_site"
sys.path.insert(0, str(ROOT / "tools"))
from build_site import for_reading, title_of  # noqa: E402

if not (SITE / "index.html").exists():
    pytest.exit("No built site in _site/: run `bash tools/site.sh` (or `python tools/build_site.py`) first.", returncode=2)

NOTEBOOKS = sorted((ROOT / "nbs").glob("*.ipynb"))
PAGES = {nb.stem: "index.html" if nb.stem == "index" else nb.stem + ".html" for nb in NOTEBOOKS}
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Chromium as this machine's network allows: no background connections that the closed network would refuse
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


def executed(stem:str)->nbformat.NotebookNode:
    return nbformat.read(SITE / "executed" / f"{stem}.ipynb", as_version=4)


@pytest.fixture(scope="module")
def site_url():
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args): pass
    handler = functools.partial(Quiet, directory=str(SITE))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


def open_page(browser, url):
    "Load a page; return it with the errors, failed requests and console errors seen while loading."
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems = []
    page.on("pageerror", lambda e: problems.append(f"script error: {e}"))
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    response = page.goto(url, wait_until="load")
    return page, response, problems


def test_every_notebook_has_a_page():
    assert sorted(p.name for p in SITE.glob("*.html")) == sorted(PAGES.values())


@pytest.mark.parametrize("stem", [nb.stem for nb in NOTEBOOKS])
def test_page_renders(browser, site_url, stem):
    page, response, problems = open_page(browser, f"{site_url}/{PAGES[stem]}")
    assert response.status == 200
    assert problems == []
    nb = executed(stem)
    assert title_of(nb) in page.locator("main h1").first.inner_text()
    # every notebook's other pages are one click away
    assert sorted(page.eval_on_selector_all("nav a", "as => as.map(a => a.getAttribute('href'))")) == sorted(PAGES.values())
    # each plot the kernel produced is on the page, as an image that loaded
    plots = sum("image/png" in o.get("data", {}) for c in for_reading(nb).cells if c.cell_type == "code" for o in c.outputs)
    images = page.eval_on_selector_all("main img", "is => is.map(i => [i.complete, i.naturalWidth, i.naturalHeight])")
    assert len(images) == plots
    assert all(done and w > 50 and h > 50 for done, w, h in images), images
    # no cell raised while the site was built
    assert not any(o.get("output_type") == "error" for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    page.close()


def test_plots_and_tables_are_there(browser, site_url):
    "The pages that teach with a chart or a table show them (a check that the counts above are not all zero)."
    counts = {}
    for stem in ("00_data", "03_optimizer", "05_evaluation", "14_long_documents"):
        page, _, _ = open_page(browser, f"{site_url}/{PAGES[stem]}")
        counts[stem] = (page.locator("main img").count(), page.locator("main table").count())
        page.close()
    assert all(img >= 1 for img, _ in counts.values()), counts
    assert counts["14_long_documents"][1] >= 2, counts


def test_index_screenshot(browser, site_url):
    page, _, problems = open_page(browser, f"{site_url}/index.html")
    shot = SITE / "screenshots" / "index.png"
    shot.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(shot), full_page=False)
    assert problems == [] and shot.stat().st_size > 10_000
    page.close()


def _widget_models(nb)->dict:
    return nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})


def test_progress_bar_is_a_widget_in_jupyter():
    "In a real kernel, the training loop's tqdm.auto bar is an ipywidgets HBox holding a finished FloatProgress."
    nb = executed("04_training_loop")
    models = _widget_models(nb)
    views = [o["data"]["application/vnd.jupyter.widget-view+json"]["model_id"] for c in nb.cells if c.cell_type == "code"
             for o in c.outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert views, "no widget output: the progress bar fell back to text"
    bars = [m for m in (models[v] for v in views if v in models) if m["model_name"] == "HBoxModel"]
    assert bars
    children = [models[c.removeprefix("IPY_MODEL_")] for c in bars[0]["state"]["children"]]
    progress = [c for c in children if c["model_name"] == "FloatProgressModel"]
    assert len(progress) == 1 and progress[0]["state"]["value"] == progress[0]["state"]["max"] > 0
