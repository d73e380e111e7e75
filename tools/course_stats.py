"""The course's reading load, counted from the notebooks (issue 22's table): for each notebook in reading order, the
visible code cells, code lines and prose words of its core part (before its `## Going further` heading, or the whole
notebook without one), the visible code cell that shows its first result, and the visible code cells and lines a
learner reads, from the first notebook on, before the first cell that trains a model.

    python tools/course_stats.py [--markdown] [--at REV]

`--at REV` counts the notebooks of a git revision instead of the working tree (`--at 20e9a08` is the course before
it was turned top-down). "Visible" is every code cell but `#| hide` ones, since the site hides those (in JupyterLab
every cell shows); a code line is a non-blank line; a word is a whitespace-separated token of a markdown cell. A
cell shows a result when its last statement is an expression other than a `show_doc` or `test_*` call (those show
documentation or nothing), or when it plots."""
import ast, json, re, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TRAINS = re.compile(r"optimizer\.step\(\)|(?<!def )\bfit\(|(?<!def )\brun_training\(")  # a cell that trains

def notebooks(rev=None)->dict:
    "{stem: [(cell type, source)]} of the numbered notebooks, in reading order."
    if rev is None: files = {p.stem: p.read_text() for p in (ROOT / "nbs").glob("[0-9][0-9]_*.ipynb")}
    else:
        names = subprocess.run(["git", "ls-tree", "--name-only", rev, "nbs/"], cwd=ROOT, capture_output=True,
                               text=True, check=True).stdout.split()
        files = {Path(n).stem: subprocess.run(["git", "show", f"{rev}:{n}"], cwd=ROOT, capture_output=True, text=True,
                                              check=True).stdout
                 for n in names if re.match(r"nbs/\d\d_.*\.ipynb$", n)}
    return {stem: [(c["cell_type"], "".join(c["source"])) for c in json.loads(text)["cells"]]
            for stem, text in sorted(files.items())}

def visible_code(kind:str, src:str)->bool:
    return kind == "code" and not re.search(r"^#\|\s*(hide|default_exp)\b", src, re.M)

def code_lines(src:str)->int:
    return sum(1 for l in src.splitlines() if l.strip() and not l.lstrip().startswith("#|"))

def shows_result(src:str)->bool:
    if re.search(r"^#\|\s*export", src, re.M): return False
    try: body = ast.parse("\n".join(l for l in src.splitlines() if not l.lstrip().startswith(("#|", "%", "!")))).body
    except SyntaxError: return False
    if any("plot" in ast.unparse(n) or "imshow" in ast.unparse(n) for n in body): return True
    if not body or not isinstance(body[-1], ast.Expr): return False
    call = body[-1].value
    name = ast.unparse(call.func) if isinstance(call, ast.Call) else ""
    return not (name == "show_doc" or name.startswith("test_"))

def core(cells:list)->dict:
    "Visible code cells, code lines and words before `## Going further`, and the first visible cell with a result."
    n = lines = words = 0; first = None
    for kind, src in cells:
        if kind == "markdown" and re.search(r"^## Going further", src, re.M):
            words += len(src.split("## Going further")[0].split())
            break
        if kind == "markdown": words += len(src.split())
        elif visible_code(kind, src):
            n, lines = n + 1, lines + code_lines(src)
            if first is None and shows_result(src): first = n
    return {"core code cells": n, "core code lines": lines, "core words": words, "first result in cell": first or 0}

def before_first_training(nbs:dict)->dict:
    "Visible code cells and lines read, in notebook order, before the first cell that trains."
    n = lines = 0
    for stem, cells in nbs.items():
        for kind, src in cells:
            if not visible_code(kind, src): continue
            if TRAINS.search(src): return {"notebook": stem, "cells before": n, "lines before": lines}
            n, lines = n + 1, lines + code_lines(src)
    return {"notebook": None, "cells before": n, "lines before": lines}

if __name__ == "__main__":
    rev = sys.argv[sys.argv.index("--at") + 1] if "--at" in sys.argv else None
    nbs = notebooks(rev)
    rows = {stem: core(cells) for stem, cells in nbs.items()}
    first = before_first_training(nbs)
    if "--markdown" in sys.argv:
        print("| notebook | core code cells | core code lines | core words | first result in cell |\n|---|---|---|---|---|")
        for stem, r in rows.items(): print(f"| `{stem}` | {' | '.join(str(v) for v in r.values())} |")
    else:
        for stem, r in rows.items(): print(f"{stem:22s} " + "  ".join(f"{k} {v:4d}" for k, v in r.items()))
    print(f"\nfirst training cell: {first['notebook']}, after {first['cells before']} visible code cells and "
          f"{first['lines before']} code lines")
