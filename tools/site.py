"""Run every notebook once and build the course website from that run, with Sphinx, MyST-NB and the Jupyter Book theme.

    python tools/site.py              # run the notebooks that changed (jupyter-cache), then write _site/
    python tools/site.py --no-html    # only run them (the notebook tests of tools/test.sh)
    python tools/site.py --times      # the execution time of every notebook, from the cache

nbdev's own site generator needs Quarto, which no package registry reachable here provides; this uses the stack of
Jupyter Book 1 instead (`sphinx`, `myst-nb`, `sphinx-book-theme`), offline. The notebooks in nbs/ are copied to
_build/src/ with nbdev's directives mapped to MyST-NB's cell tags: `#| hide` cells run but are not shown
(`remove-cell`), cells flagged with a `tst_flags` flag of settings.ini (slow, cuda, notest) are shown but not run
(`skip-execution`), `#| export` and `#| default_exp` lines are dropped from the shown source, and the cell that calls
`nbdev_export` is neither run nor shown. Execution goes through jupyter-cache, keyed by the notebooks' code: a
notebook whose code has not changed since its last successful run is not run again, so the site is rendered from the
run of the tests; when the package's code (`bert_tutorial/*.py`) has changed since the notebooks last passed, the
cache is emptied and every notebook runs. Notebooks run in parallel, one per core, longest first (by their last run's
times, or by tools/notebook_seconds.txt in a fresh clone), each kernel's torch with its share of the threads; a cell
that raises fails the run with its traceback.
"""
import argparse, configparser, os, re, shutil, subprocess, sys, time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
BUILD, SITE = ROOT / "_build", ROOT / "_site"
SRC, CACHE = BUILD / "src", BUILD / "jupyter_cache"
DIRECTIVE = re.compile(r"^\s*#\|\s*(.*)$")
FAVICON = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f"  # a 1x1 PNG: browsers ask for an icon
                        "15c4890000000d49444154789c6390f7effe0f00038301f982844d5f0000000049454e44ae426082")

# lesson code is written to fit 110 characters a line: the page is wide enough to show it without scrolling sideways
CSS = """
.bd-page-width { max-width: 96rem; }
.bd-main .bd-content .bd-article-container { max-width: 100%; }
div.cell_input div.highlight pre, div.cell_output div.highlight pre { font-size: 0.78rem; }
"""

CONF = '''
project = "bert_tutorial"
author = "bert_tutorial team"
copyright = "2026 onwards, bert_tutorial team"
extensions = ["myst_nb"]
html_theme = "sphinx_book_theme"
html_title = "bert_tutorial"
html_context = {"default_mode": "light"}
html_theme_options = {"use_download_button": True, "home_page_in_toc": True, "show_toc_level": 2,
                      "secondary_sidebar_items": []}  # the page's contents stay in the header's menu
html_static_path = ["_static"]
html_css_files = ["course.css"]
html_extra_path = ["_extra"]  # _extra/notebooks/*.ipynb: the notebooks as they are in nbs/
html_sourcelink_suffix = ""
exclude_patterns = ["_extra", "_static", "jupyter_execute", "**/.ipynb_checkpoints"]
nb_execution_mode = "%(mode)s"
nb_execution_cache_path = "%(cache)s"
nb_execution_timeout = 1800
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_execution_in_temp = False
nb_merge_streams = True
nb_render_markdown_format = "myst"
myst_enable_extensions = ["attrs_inline"]  # show_doc's `[source](...){target="_blank"}` links
smartquotes = False  # titles and code-like text read as written
html_favicon = "_extra/favicon.png"
nb_ipywidgets_js = {}  # the widgets' JavaScript would come from a CDN: offline, a finished bar is simply not shown
suppress_warnings = ["mystnb.unknown_mime_type", "misc.highlighting_failure", "myst.header"]
'''


def directives(source:str)->list:
    "The words of a cell's leading `#|` lines (e.g. ['hide'], ['export'], ['slow'])."
    words = []
    for line in source.splitlines():
        m = DIRECTIVE.match(line)
        if not m: break
        words += m.group(1).split()
    return words


def order(paths):
    return sorted(paths, key=lambda p: (p.stem != "index", p.stem))


def for_the_site(nb, name:str, skip:set, pages:list):
    "nbdev's directives as MyST-NB cell tags; a link to the notebook; the table of contents on the index page."
    cells = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            words, tags = directives(cell.source), set(cell.metadata.get("tags", []))
            if "hide" in words: tags.add("remove-cell")
            if skip & set(words): tags.add("skip-execution")
            if "nbdev_export()" in cell.source: tags |= {"remove-cell", "skip-execution"}
            cell.source = "\n".join(l for l in cell.source.splitlines() if not DIRECTIVE.match(l)).strip("\n")
            if not cell.source: continue
            if "skip-execution" in tags and "remove-cell" not in tags:
                flags = ", ".join(sorted(skip & set(words)))
                cells.append(nbformat.v4.new_markdown_cell(
                    f"*Not run when this page was built (`{flags}`): run it yourself in Jupyter.*"))
            cell.metadata["tags"] = sorted(tags)
        cells.append(cell)
    link = (f'<p class="notebook-link">This page is the notebook <a href="notebooks/{name}.ipynb">'
            f'<code>nbs/{name}.ipynb</code></a>: download it and run it cell by cell.</p>')
    first = next((i for i, c in enumerate(cells) if c.cell_type == "markdown"), 0)
    cells.insert(first + 1, nbformat.v4.new_markdown_cell(link))
    if name == "index":
        toc = "```{toctree}\n:hidden:\n:maxdepth: 1\n\n" + "\n".join(pages) + "\nexecution_times\n```"
        cells.append(nbformat.v4.new_markdown_cell(toc))
    nb.cells = cells
    return nb


def prepare(skip:set)->list:
    "Copy the notebooks into _build/src with tags, conf.py and the execution-times page; return their names."
    SRC.mkdir(parents=True, exist_ok=True)
    paths = order((ROOT / "nbs").glob("*.ipynb"))
    pages = [p.stem for p in paths if p.stem != "index"]
    keep = {p.name for p in paths} | {"conf.py", "execution_times.md", "_extra", "_static"}
    for old in SRC.iterdir():
        if old.name not in keep: shutil.rmtree(old) if old.is_dir() else old.unlink()
    for p in paths:
        nb = for_the_site(nbformat.read(p, as_version=4), p.stem, skip, pages)
        text = nbformat.writes(nb)
        target = SRC / p.name
        if not target.exists() or target.read_text(encoding="utf-8") != text:  # unchanged files keep Sphinx's cache
            target.write_text(text, encoding="utf-8")
    (SRC / "_extra" / "notebooks").mkdir(parents=True, exist_ok=True)
    (SRC / "_extra" / "favicon.png").write_bytes(FAVICON)
    (SRC / "_static").mkdir(exist_ok=True)
    (SRC / "_static" / "course.css").write_text(CSS, encoding="utf-8")
    for p in paths: shutil.copy2(p, SRC / "_extra" / "notebooks" / p.name)
    (SRC / "execution_times.md").write_text(
        "# Execution times\n\nHow long each notebook took when this site was built (from jupyter-cache):\n\n"
        "```{nb-exec-table}\n```\n", encoding="utf-8")
    return [p.stem for p in paths]


def times()->dict:
    "Each notebook's execution time in seconds, from its newest successful run in the cache."
    from jupyter_cache import get_cache
    newest = {}
    for rec in get_cache(str(CACHE)).list_cache_records():
        name = Path(rec.uri).stem
        if name not in newest or rec.created > newest[name][1]:
            newest[name] = (rec.data.get("execution_seconds", float("nan")), rec.created)
    return {name: seconds for name, (seconds, _) in sorted(newest.items())}


ORDER = ROOT / "tools" / "notebook_seconds.txt"  # `site.py --times` of a full run: the order of a fresh clone's run


def expected_seconds()->dict:
    "Each notebook's seconds in its newest cached run, else in tools/notebook_seconds.txt (a fresh clone)."
    recorded = {}
    for line in (ORDER.read_text().splitlines() if ORDER.exists() else []):
        words = line.split()
        if len(words) == 3 and words[0] != "total": recorded[words[0]] = float(words[1])
    return {**recorded, **times()}


# a kernel that imported torch and transformers spends 1 to 2 s at exit in the garbage collector's last passes over
# millions of objects that are about to go anyway: frozen out of its sight first (as bert_tutorial.console does). A
# kernel that imports the package and stops measured 4.7 to 4.9 s with this, against 6.0 to 7.1 s without, one thread
FREEZE_AT_EXIT = """def _freeze_at_exit():
    import atexit, gc
    atexit.register(gc.freeze)  # after IPython's and ipykernel's own handlers, so it runs before them (last in,
    # first out): before the history's last save and the display hook's flush, whose gc.collect() would scan it all
_freeze_at_exit(); del _freeze_at_exit
"""


def quiet_kernels():
    "The build's kernels log errors only (each would warn that it talks to us over local TCP), and exit fast."
    profile = BUILD / "ipython" / "profile_default"
    (profile / "startup").mkdir(parents=True, exist_ok=True)
    (profile / "ipython_kernel_config.py").write_text("c.IPKernelApp.log_level = 'ERROR'\n")
    (profile / "startup" / "00-freeze-at-exit.py").write_text(FREEZE_AT_EXIT)
    os.environ["IPYTHONDIR"] = str(BUILD / "ipython")


def _run_one(pk:int, uri:str, timeout:int)->tuple:
    "Execute one notebook of the project in its folder and cache it (in a worker process)."
    import logging
    from jupyter_cache import get_cache
    from jupyter_cache.executors.basic import ExecutionWorkerLocalSerial, ProcessData
    worker = ExecutionWorkerLocalSerial(logging.getLogger("site"))
    return worker(ProcessData(pk, uri, get_cache(str(CACHE)), timeout, False))


def package_hash()->str:
    "A hash of the package's code: the notebooks' cached runs are only valid for the code they ran with."
    import hashlib
    h = hashlib.sha256()
    for p in sorted((ROOT / "bert_tutorial").glob("*.py")): h.update(p.name.encode() + p.read_bytes())
    return h.hexdigest()


def execute(workers:int, timeout=1800)->int:
    "Run the notebooks whose code changed since their last successful run, `workers` at a time; 1 if any failed."
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from jupyter_cache import get_cache
    stamp, digest = CACHE / "package.sha256", package_hash()
    # longest first, so that the workers end together: the notebooks' last times, even from a cache about to be emptied
    before = expected_seconds()
    if CACHE.exists() and (not stamp.exists() or stamp.read_text() != digest):
        print("== the package changed since the notebooks last passed: running them all", flush=True)
        shutil.rmtree(CACHE)
    cache = get_cache(str(CACHE))
    for p in order(SRC.glob("*.ipynb")): cache.add_nb_to_project(str(p))
    todo = sorted(cache.list_unexecuted(), key=lambda r: -before.get(Path(r.uri).stem, 1e9))  # unknown ones first
    # workers share the cores: each kernel's torch gets its share of the threads
    os.environ["OMP_NUM_THREADS"] = str(max(1, (os.cpu_count() or 1) // workers))
    print(f"== running {len(todo)} notebook(s), {workers} at a time ({len(cache.list_project_records()) - len(todo)} "
          "unchanged since their last run)", flush=True)
    failed = []
    with ProcessPoolExecutor(workers) as pool:
        jobs = {pool.submit(_run_one, r.pk, r.uri, timeout): Path(r.uri).stem for r in todo}
        for job in as_completed(jobs):
            code, _ = job.result()
            print(f"   {jobs[job]:28} {'ok' if code == 0 else 'FAILED'}", flush=True)
            if code: failed.append(jobs[job])
    for name in failed:
        print(f"\n== {name} failed:\n{cache.get_project_record(str(SRC / (name + '.ipynb'))).traceback}", file=sys.stderr)
    if not failed: stamp.write_text(digest)
    return 1 if failed else 0


def main(argv=None)->int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-html", action="store_true", help="only run the notebooks (into the cache)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="notebooks run at a time (default: cores)")
    ap.add_argument("--times", action="store_true", help="print each notebook's execution time from the cache and stop")
    a = ap.parse_args(argv)
    if a.times:
        t = times()
        for name, seconds in t.items(): print(f"{name:28} {seconds:7.1f} s")
        print(f"{'total':28} {sum(t.values()):7.1f} s")
        return 0
    cfg = configparser.ConfigParser(); cfg.read(ROOT / "settings.ini")
    skip = set(cfg["DEFAULT"].get("tst_flags", "").split())
    os.environ.pop("MPLBACKEND", None)  # the kernel's inline backend puts the plots into the page
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    quiet_kernels()
    start = time.perf_counter()
    prepare(skip)
    if execute(a.workers):
        print("site: a notebook failed; its traceback is above", file=sys.stderr)
        return 1
    print(f"== notebooks run in {time.perf_counter() - start:.0f} s", flush=True)
    if a.no_html: return 0
    (SRC / "conf.py").write_text(CONF % {"mode": "cache", "cache": str(CACHE)}, encoding="utf-8")
    # Sphinx writes into _build/site (MyST-NB keeps its executed copies beside it), then the pages go to _site
    html = BUILD / "site"
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-d", str(BUILD / "doctrees"), str(SRC), str(html)]
    r = subprocess.run(cmd, stderr=subprocess.PIPE, text=True)
    # show_doc's markdown starts with a horizontal rule, which docutils accepts only between sections: harmless
    print("\n".join(l for l in r.stderr.splitlines() if "Transition must be child" not in l), file=sys.stderr)
    if r.returncode:
        print("site: Sphinx failed (see above)", file=sys.stderr)
        return 1
    shutil.rmtree(SITE, ignore_errors=True)
    shutil.copytree(html, SITE)
    print(f"== site built in {SITE} in {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
