"""Build the course website offline into _site/: run every notebook through a real Jupyter kernel (nbclient),
then write one HTML page per notebook, with its plots and tables, and a navigation bar.

`nbdev_docs` renders with Quarto, and no package registry reachable here ships a Quarto binary (PyPI's
quarto-cli is a source package that downloads it from GitHub at install time; Debian has none), so this
script does the same job with Jupyter's own tools. Where Quarto is installed, `nbdev_docs` works as usual.

Cells are treated the way nbdev treats them: `#| hide` cells run but are not shown, `#| export` cells are
shown without the directive, and cells flagged with a `tst_flags` flag from settings.ini (slow, cuda, notest)
are shown but not run. The executed notebooks are kept in _site/executed/ for the site tests.
"""
import argparse, asyncio, configparser, html, os, re, sys, time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbconvert import HTMLExporter
from pygments.formatters import HtmlFormatter

ROOT = Path(__file__).resolve().parents[1]
DIRECTIVE = re.compile(r"^\s*#\|\s*(.*)$")


def directives(cell)->list:
    "The words of a cell's leading `#|` lines (e.g. ['hide'], ['export'], ['slow'])."
    words = []
    for line in cell.source.splitlines():
        m = DIRECTIVE.match(line)
        if not m: break
        words += m.group(1).split()
    return words


class CourseClient(NotebookClient):
    "Runs a notebook cell by cell, leaving flagged cells (slow, cuda, ...) unexecuted."
    skip = set()
    async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
        if cell.cell_type == "code" and self.skip & set(directives(cell)):
            cell.outputs = []
            cell.metadata["skipped"] = sorted(self.skip & set(directives(cell)))
            return cell
        return await super().async_execute_cell(cell, cell_index, execution_count, store_history)


def execute(path:Path, skip:set, timeout:int)->nbformat.NotebookNode:
    "The notebook with the outputs of a real kernel (widget state kept)."
    nb = nbformat.read(path, as_version=4)
    client = CourseClient(nb, timeout=timeout, kernel_name="python3", store_widget_state=True,
                          resources={"metadata": {"path": str(path.parent)}})
    client.skip = skip
    client.execute()
    return nb


def for_reading(nb:nbformat.NotebookNode)->nbformat.NotebookNode:
    "What a reader sees: no hidden cells, no directive lines, a note on cells not run."
    nb = nbformat.from_dict(nb)
    nb.metadata.pop("widgets", None)  # the page shows the widgets' text; their JavaScript would need a network
    cells = []
    for cell in nb.cells:
        words = directives(cell) if cell.cell_type == "code" else []
        if "hide" in words or any(w.startswith("default_exp") for w in words): continue
        if cell.cell_type == "code":
            cell.source = "\n".join(l for l in cell.source.splitlines() if not DIRECTIVE.match(l)).strip("\n")
            if not cell.source: continue
            if cell.metadata.get("skipped"):
                cells.append(nbformat.v4.new_markdown_cell(f"*Not run when this page was built ({', '.join(cell.metadata['skipped'])}); run it yourself in Jupyter.*"))
        cells.append(cell)
    nb.cells = cells
    return nb


def title_of(nb)->str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = re.search(r"^#\s+(.+)$", cell.source, re.M)
            if m: return re.sub(r"[`*]", "", m.group(1)).strip()  # plain text, as the rendered heading reads
    return "untitled"


CSS = """
body{margin:0;font-family:system-ui,-apple-system,'Segoe UI',sans-serif;color:#222;display:flex}
nav{width:250px;min-height:100vh;background:#f5f6f8;border-right:1px solid #ddd;padding:16px;box-sizing:border-box;flex-shrink:0}
nav a{display:block;color:#1a4f8b;text-decoration:none;padding:4px 0;font-size:14px}
nav a.current{font-weight:bold;color:#000}
nav .brand{font-weight:bold;font-size:17px;margin-bottom:12px}
main{max-width:980px;padding:16px 32px;overflow-x:auto;flex-grow:1}
pre{background:#f7f7f7;padding:8px;overflow-x:auto;font-size:13px;line-height:1.35}
.jp-InputPrompt,.jp-OutputPrompt,.prompt{display:none}
.jp-OutputArea-output pre{background:#fff;border-left:3px solid #ddd}
.jp-RenderedImage img,img{max-width:100%}
table{border-collapse:collapse;font-size:13px;margin:8px 0}
th,td{border:1px solid #ddd;padding:3px 8px;text-align:right}
.anchor-link{visibility:hidden;text-decoration:none;margin-left:6px;color:#999}
:hover>.anchor-link{visibility:visible}
blockquote{color:#555;border-left:4px solid #ccc;margin-left:0;padding-left:12px}
"""


def page(title:str, body:str, nav:str)->str:
    return (f"<!doctype html>\n<html lang='en'><head><meta charset='utf-8'><link rel='icon' href='data:,'><title>{html.escape(title)} - bert_tutorial</title>"
            f"<style>{CSS}{HtmlFormatter().get_style_defs('.highlight')}</style></head>\n"
            f"<body><nav><div class='brand'>bert_tutorial</div>{nav}</nav><main>{body}</main></body></html>\n")


def main(argv=None)->int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "_site"), help="output folder (default: _site)")
    ap.add_argument("--only", nargs="*", help="notebook names to build (default: all)")
    ap.add_argument("--timeout", type=int, default=1200, help="seconds a cell may run")
    ap.add_argument("--no-execute", action="store_true", help="write the pages from the notebooks already run into OUT/executed")
    a = ap.parse_args(argv)
    cfg = configparser.ConfigParser(); cfg.read(ROOT / "settings.ini")
    skip = set(cfg["DEFAULT"].get("tst_flags", "").split())
    os.environ.pop("MPLBACKEND", None)  # the kernel's inline backend puts plots into the page
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    out = Path(a.out); (out / "executed").mkdir(parents=True, exist_ok=True)
    paths = sorted((ROOT / "nbs").glob("*.ipynb"), key=lambda p: (p.stem != "index", p.stem))
    if a.only: paths = [p for p in paths if p.stem in a.only or p.name in a.only]
    executed, start = {}, time.perf_counter()
    for p in paths:
        t = time.perf_counter()
        if a.no_execute: nb = nbformat.read(out / "executed" / p.name, as_version=4)
        else:
            nb = execute(p, skip, a.timeout)
            nbformat.write(nb, out / "executed" / p.name)
        executed[p] = nb
        print(f"{p.name:28} {time.perf_counter() - t:6.1f} s", flush=True)
    exporter = HTMLExporter(template_name="basic", embed_images=True)
    names = {p: "index.html" if p.stem == "index" else p.stem + ".html" for p in paths}
    titles = {p: title_of(nb) for p, nb in executed.items()}
    for p, nb in executed.items():
        body, _ = exporter.from_notebook_node(for_reading(nb))
        nav = "".join(f"<a href='{names[q]}'{' class=current' if q == p else ''}>{html.escape(titles[q])}</a>" for q in paths)
        (out / names[p]).write_text(page(titles[p], body, nav), encoding="utf-8")
    print(f"== site: {len(paths)} pages in {out} in {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
