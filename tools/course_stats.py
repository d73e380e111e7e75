"""The course's reading load, counted from the notebooks (issue 22's table): for each notebook in reading order, the
visible code cells, code lines and prose words of its core part (before its `## Going further` heading, or the whole
notebook without one), and the visible code cells and lines a learner reads, from the first notebook on, before the
first cell that trains a model.

    python tools/course_stats.py [--markdown]

"Visible" is every code cell but `#| hide` ones, since the site hides those (in JupyterLab every cell shows); a code
line is a non-blank line; a word is a whitespace-separated token of a markdown cell."""
import json, re, sys
from pathlib import Path

NBS = Path(__file__).resolve().parents[1] / "nbs"
TRAINS = re.compile(r"optimizer\.step\(\)|(?<!def )\bfit\(|(?<!def )\brun_training\(")  # a cell that trains

def cells(path:Path)->list:
    return [(c["cell_type"], "".join(c["source"])) for c in json.loads(path.read_text())["cells"]]

def visible_code(kind:str, src:str)->bool:
    return kind == "code" and not re.search(r"^#\|\s*(hide|default_exp)\b", src, re.M)

def code_lines(src:str)->int:
    return sum(1 for l in src.splitlines() if l.strip() and not l.lstrip().startswith("#|"))

def core(path:Path)->dict:
    "Visible code cells, code lines and words before `## Going further`."
    n = lines = words = 0
    for kind, src in cells(path):
        if kind == "markdown" and re.search(r"^## Going further", src, re.M):
            words += len(src.split("## Going further")[0].split())
            break
        if kind == "markdown": words += len(src.split())
        elif visible_code(kind, src): n, lines = n + 1, lines + code_lines(src)
    return {"core code cells": n, "core code lines": lines, "core words": words}

def before_first_training()->dict:
    "Visible code cells and lines read, in notebook order, before the first cell that trains."
    n = lines = 0
    for path in sorted(NBS.glob("[0-9][0-9]_*.ipynb")):
        for kind, src in cells(path):
            if not visible_code(kind, src): continue
            if TRAINS.search(src): return {"notebook": path.stem, "cells before": n, "lines before": lines}
            n, lines = n + 1, lines + code_lines(src)
    return {"notebook": None, "cells before": n, "lines before": lines}

if __name__ == "__main__":
    rows = {p.stem: core(p) for p in sorted(NBS.glob("[0-9][0-9]_*.ipynb"))}
    first = before_first_training()
    if "--markdown" in sys.argv:
        print("| notebook | core code cells | core code lines | core words |\n|---|---|---|---|")
        for stem, r in rows.items(): print(f"| `{stem}` | {' | '.join(str(v) for v in r.values())} |")
    else:
        for stem, r in rows.items(): print(f"{stem:22s} " + "  ".join(f"{k} {v:4d}" for k, v in r.items()))
    print(f"\nfirst training cell: {first['notebook']}, after {first['cells before']} visible code cells and "
          f"{first['lines before']} code lines")
