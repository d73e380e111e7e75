"""The course as a learner runs it: JupyterLab in headless Chromium, each notebook opened and run with the menu's
Run > Run All Cells, as a learner presses it (where `#| hide` and `#| slow` mean nothing).

For each of the core notebooks (00 to 07) and `10_inference`: Run All ends (no cell left waiting), no cell shows a
traceback, widgets render as widgets (not as their text), no `show_doc` output shows Quarto's link markup, and the
widgets a notebook builds for the learner keep the text it gave them (a hidden check must not type into them), and
File > Save Notebook writes the run cleaned by nbdev's pre-save hook, with its outputs and the committed code (and
`nbdev_test` passes on the saved `01_data`). In
`10_inference` the demo is then typed into, as a learner would, and must answer the sentence's obvious label. Run All's
wall time is printed (`pytest -s`), measured, not asserted; a screenshot of each notebook's end, of a `show_doc` output
and of the demo after typing is kept in `_build/lab/`. JupyterLab runs on 127.0.0.1 with autosave off and throwaway
settings and workspaces, on a copy of the notebooks (nothing in `nbs/` changes), and is stopped by its process at the
end. Run by `tools/lab.sh`; CI runs it after the site.
"""
import json, os, shutil, socket, subprocess, sys, time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "course-test"
# notebook: (text a widget must still show after Run All, or None; Run All's limit in seconds)
NOTEBOOKS = {"00_seven_steps": (None, 600), "01_data": (None, 300), "02_tokenizer": ("Fine-tuning BERT is fun!", 300),
             "03_model": (None, 300), "04_optimizer": (None, 300), "05_training_loop": (None, 900),
             "06_evaluation": (None, 600), "07_saving": (None, 300),
             "10_inference": ("What a smooth and safe ride, I loved it!", 600)}
TYPED = ("Thank you so much, the crew was wonderful!", "positive")  # typed into the demo, and its obvious label
SHOTS = ROOT / "_build" / "lab"


def free_port()->int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0)); return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    "JupyterLab serving a copy of nbs/, with cells kept in the page (no windowing) and no news pop-ups."
    work = tmp_path_factory.mktemp("lab")
    shutil.copytree(ROOT / "nbs", work / "nbs", ignore=shutil.ignore_patterns("best_model", ".ipynb_checkpoints"))
    shutil.copy(ROOT / "settings.ini", work)  # a notebook's last cell, nbdev_export(), exports into work/bert_tutorial
    settings = work / "settings"
    for plugin, values in {"@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
                           "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
                           "@jupyterlab/apputils-extension/notification": {"fetchNews": "false",
                                                                           "checkForUpdates": False}}.items():
        (settings / plugin).parent.mkdir(parents=True, exist_ok=True)
        (settings / f"{plugin}.jupyterlab-settings").write_text(json.dumps(values))
    port = free_port()
    env = {**os.environ, "JUPYTERLAB_SETTINGS_DIR": str(settings), "HF_HUB_OFFLINE": "1",
           "JUPYTER_RUNTIME_DIR": str(work / "runtime")}
    log = open(work / "lab.log", "w")
    server = subprocess.Popen([str(Path(sys.executable).parent / "jupyter"), "lab", "--no-browser", "--allow-root",
                               f"--port={port}", f"--IdentityProvider.token={TOKEN}", "--ServerApp.ip=127.0.0.1",
                               f"--ServerApp.root_dir={work / 'nbs'}", f"--LabApp.workspaces_dir={work / 'workspaces'}"], stdout=log, stderr=subprocess.STDOUT, env=env)
    deadline = time.time() + 120
    while True:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0: break
        assert server.poll() is None and time.time() < deadline, (work / "lab.log").read_text()[-3000:]
        time.sleep(0.5)
    yield f"http://127.0.0.1:{port}", work
    server.terminate()
    try: server.wait(30)
    except subprocess.TimeoutExpired: server.kill(); server.wait()
    log.close()


def save_and_check(page, saved:Path, name:str):
    """Save the run with File > Save Notebook, as a learner does, and check what the save wrote: the run's outputs,
    cleaned as it was saved (nbdev's pre-save hook, which tools/setup.sh installs in .venv: `nbdev_clean` then finds
    nothing to change), and the committed code, so that the test command and nbdev_test run the same notebook."""
    before = saved.stat().st_mtime_ns
    page.locator(".lm-MenuBar-itemLabel", has_text="File").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Save Notebook").first.click()
    deadline = time.time() + 60
    while saved.stat().st_mtime_ns == before and time.time() < deadline: time.sleep(0.2)
    assert saved.stat().st_mtime_ns != before, f"File > Save Notebook did not write {name}"
    time.sleep(1)  # the write is complete
    nb = json.loads(saved.read_text(encoding="utf-8"))
    assert any(c.get("outputs") for c in nb["cells"]), "the saved run kept no outputs"
    copy = saved.with_name(f"{name}.cleaned.ipynb"); shutil.copy(saved, copy)
    subprocess.run([str(Path(sys.executable).parent / "nbdev_clean"), "--fname", str(copy)], check=True,
                   cwd=saved.parents[1], capture_output=True)
    assert copy.read_bytes() == saved.read_bytes(), f"{name}: the save left what nbdev_clean removes (no hook?)"
    copy.unlink()
    committed = json.loads((ROOT / "nbs" / f"{name}.ipynb").read_text(encoding="utf-8"))
    code = lambda n: ["".join(c["source"]) for c in n["cells"]]
    assert code(nb) == code(committed), f"{name}: the saved cells differ from the committed ones"


def waiting_cells(page)->int:
    "Code cells queued or running: their prompt reads [*]."
    return page.locator(".jp-InputArea-prompt", has_text="[*]").count()


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_run_all_in_jupyterlab(name, lab, browser):
    url, work = lab
    widget_text, limit = NOTEBOOKS[name]
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{url}/lab/tree/{name}.ipynb?reset&token={TOKEN}")  # reset: only this notebook open
    page.locator(".jp-Notebook .jp-Cell").first.wait_for(timeout=120_000)
    select = page.locator(".jp-Dialog button", has_text="Select")  # the committed notebooks name no kernel
    try: select.wait_for(timeout=20_000); select.click()  # what a learner clicks: Python 3 (ipykernel)
    except Exception: pass  # no dialog: the kernel started by itself
    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").first.wait_for(timeout=120_000)
    start = time.time()
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
    while waiting_cells(page) == 0 and time.time() - start < 30: time.sleep(0.2)  # Run All has queued the cells
    while waiting_cells(page) and time.time() - start < limit: time.sleep(1)
    seconds = time.time() - start
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(".jp-Notebook .jp-Cell").last.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"{name}_end.png"))
    assert waiting_cells(page) == 0, f"Run All of {name} did not end within {limit} s"
    outputs = page.locator(".jp-OutputArea-output").all_inner_texts()
    tracebacks = [o[:800] for o in outputs if "Traceback (most recent call last)" in o or "Error Traceback" in o]
    assert not tracebacks, tracebacks
    prompts = page.locator(".jp-CodeCell .jp-InputArea-prompt").all_inner_texts()
    assert all(p.strip() not in ("[ ]:", "") for p in prompts), "a code cell was not run"
    as_text = [o[:200] for o in outputs if o.startswith(("VBox(", "HBox(", "Text(value=", "Textarea(value="))]
    assert not as_text, f"widgets shown as text, not rendered: {as_text}"
    docs = page.locator(".jp-OutputArea-output.jp-RenderedMarkdown:has(h2, h3, h4)")  # show_doc: a heading, rendered
    if name == "02_tokenizer":
        assert docs.count() > 0, "no show_doc output rendered as markdown"
        docs.first.scroll_into_view_if_needed(); docs.first.screenshot(path=str(SHOTS / "show_doc.png"))
    page_text = page.locator(".jp-Notebook").inner_text()
    assert 'target="_blank"' not in page_text and "{target=" not in page_text, "show_doc shows Quarto markup"
    if widget_text is not None:
        values = page.locator(".jupyter-widgets input[type=text], .jupyter-widgets textarea").evaluate_all(
            "els => els.map(e => e.value)")
        assert widget_text in values, (widget_text, values)
    if name == "10_inference":  # a learner types into the demo and presses its button
        demo = page.locator(".jupyter-widgets.widget-vbox", has=page.locator("textarea"))
        demo.locator("textarea").first.fill(TYPED[0])
        demo.locator("button", has_text="Classify").first.click()
        answer = demo.locator(".widget-html").first
        answer.locator("b").wait_for(timeout=60_000)
        demo.first.screenshot(path=str(SHOTS / "demo_typed.png"))
        assert answer.locator("b").inner_text() == TYPED[1], answer.inner_text()
    save_and_check(page, work / "nbs" / f"{name}.ipynb", name)
    if name == "01_data":  # nbdev_test, the course's own check, on the saved run: it passes as on the committed one
        done = subprocess.run([str(Path(sys.executable).parent / "nbdev_test"), "--path",
                               str(work / "nbs" / f"{name}.ipynb")], cwd=ROOT, capture_output=True, text=True,
                              env={**os.environ, "OMP_NUM_THREADS": "1"})
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    print(f"{name}: Run All in JupyterLab took {seconds:.0f} s ({len(prompts)} code cells); saved clean")
    page.close()
