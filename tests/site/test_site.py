"""The course website (tools/site.py: Sphinx, MyST-NB, the Jupyter Book theme) in headless Chromium, and the notebooks
as the Jupyter kernel of the build ran them.

Run by tools/site.sh after the build; on a machine without the built site it stops with a clear message.
"""
import functools, http.server, re, threading
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "_site"
SRC, CACHE = ROOT / "_build" / "src", ROOT / "_build" / "jupyter_cache"

if not (SITE / "index.html").exists():
    pytest.exit("No built site in _site/: run `bash tools/site.sh` (or `python tools/site.py`) first.", returncode=2)

NOTEBOOKS = sorted((ROOT / "nbs").glob("*.ipynb"))
PAGES = {nb.stem: "index.html" if nb.stem == "index" else nb.stem + ".html" for nb in NOTEBOOKS}

def executed(stem:str)->nbformat.NotebookNode:
    "The notebook with the outputs of the run the site was rendered from (jupyter-cache)."
    from jupyter_cache import get_cache
    return get_cache(str(CACHE)).merge_match_into_file(str(SRC / f"{stem}.ipynb"))[1]


def title_of(nb)->str:
    "The notebook's H1, as plain text (as the rendered heading reads)."
    for cell in nb.cells:
        m = re.search(r"^#\s+(.+)$", cell.source, re.M) if cell.cell_type == "markdown" else None
        if m: return re.sub(r"[`*]", "", m.group(1)).strip()


def shown_images(nb)->int:
    "PNG outputs of the cells a reader sees."
    return sum("image/png" in o.get("data", {}) for c in nb.cells if c.cell_type == "code"
               and "remove-cell" not in c.metadata.get("tags", []) and "remove-output" not in c.metadata.get("tags", [])
               for o in c.get("outputs", []))


@pytest.fixture(scope="module")
def site_url():
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args): pass
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(SITE)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def open_page(browser, url):
    "Load a page; return it with the errors, failed requests and console errors seen while loading."
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems = []
    page.on("pageerror", lambda e: problems.append(f"script error: {e}"))
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    response = page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    return page, response, problems


@pytest.mark.parametrize("stem", list(PAGES))
def test_page_loads_with_title_images_and_notebook_link(stem, site_url, browser):
    page, response, problems = open_page(browser, f"{site_url}/{PAGES[stem]}")
    try:
        assert response.ok and not problems, problems
        nb = nbformat.read(ROOT / "nbs" / f"{stem}.ipynb", as_version=4)
        assert page.locator("article h1").first.inner_text().strip().rstrip("#").strip() == title_of(nb)
        images = page.eval_on_selector_all("article img", "els => els.map(e => [e.complete, e.naturalWidth])")
        assert all(done and width > 50 for done, width in images), images
        assert len(images) == shown_images(executed(stem))
        link = page.locator(f'a[href="notebooks/{stem}.ipynb"]')
        assert link.count() == 1
        assert page.request.get(f"{site_url}/notebooks/{stem}.ipynb").ok
        text = page.locator("article").inner_text()
        assert not re.search(r"\b0%\|", text), "a progress bar was left in the page"
        assert "Traceback (most recent call last)" not in text
        wide = page.eval_on_selector_all("article div.cell_input pre",
                                         "els => els.filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.innerText.slice(0, 80))")
        assert not wide, f"code that scrolls sideways: {wide}"
    finally:
        page.close()


@pytest.mark.parametrize("stem,function,param_doc", [("03_model", "load_model", "# hub name or folder"),
                                                     ("05_training_loop", "train_epoch", "# optimizer steps of this epoch already done")])
def test_api_docs_from_show_doc(stem, function, param_doc, site_url, browser):
    "show_doc renders each exported function: its name, its signature with every parameter's documentation, its docstring."
    page, _, _ = open_page(browser, f"{site_url}/{PAGES[stem]}")
    try:
        heading = page.locator(f"article .rubric#{function.replace('_', '-')}")
        assert heading.count() == 1
        signature = heading.locator("xpath=following-sibling::div[1]").inner_text()
        assert signature.startswith(f"def {function}(") and param_doc in signature, signature[:300]
        if stem == "05_training_loop":
            (SITE / "screenshots").mkdir(exist_ok=True)
            heading.scroll_into_view_if_needed()
            page.screenshot(path=str(SITE / "screenshots" / "05_training_loop.png"))
    finally:
        page.close()


def test_search_finds_a_function_offline(site_url, browser):
    page, response, problems = open_page(browser, f"{site_url}/search.html?q=train_epoch")
    try:
        page.wait_for_selector("#search-results li", timeout=20_000)
        results = page.locator("#search-results li a").all_inner_texts()
        assert any("training loop" in r.lower() for r in results), results
        assert not problems, problems
    finally:
        page.close()


def test_pages_in_reading_order(site_url, browser):
    "The side navigation lists the notebooks in the order of their numbers."
    page, _, _ = open_page(browser, f"{site_url}/index.html")
    try:
        hrefs = [h.split("#")[0] for h in page.eval_on_selector_all("nav.bd-links a", "els => els.map(e => e.getAttribute('href'))")]
        stems = [h.removesuffix(".html") for h in hrefs if h.removesuffix(".html") in PAGES]
        assert stems == sorted(s for s in PAGES if s != "index"), stems
        (SITE / "screenshots").mkdir(exist_ok=True)
        page.screenshot(path=str(SITE / "screenshots" / "index.png"))
    finally:
        page.close()


def test_progress_bar_is_a_widget_in_jupyter():
    "In Jupyter, the training loop's progress bar (tqdm.auto) is an ipywidgets progress bar that reached its end."
    nb = executed("05_training_loop")
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    bars = [m["state"] for m in state.values() if m.get("model_name") == "FloatProgressModel"]
    assert bars and any(b["value"] == b["max"] > 0 for b in bars), bars[:3]
