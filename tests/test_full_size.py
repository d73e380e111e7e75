"""Run All in JupyterLab runs every cell, `#| slow` ones included: each full-size cell must be opt-in there.

Each notebook with a `slow` cell has a visible `FULL_SIZE = False` switch (near its top, or in `05` right above the
one cell it holds back, to keep the step's core part short), and every `slow` cell runs its
work only when the switch is on (or under `nbdev_test --flags slow`, which sets IN_TEST); otherwise it prints what it
would have done and where the recorded result is."""
import contextlib, io, json, os
from pathlib import Path

import pytest

NBS = Path(__file__).parents[1] / "nbs"
GUARD = 'if FULL_SIZE or os.environ.get("IN_TEST"):'

def code_cells(p:Path)->list:
    return ["".join(c["source"]) for c in json.loads(p.read_text())["cells"] if c["cell_type"] == "code"]

SLOW = sorted(p.name for p in NBS.glob("*.ipynb") if any(s.startswith("#| slow") for s in code_cells(p)))

def test_the_notebooks_with_full_size_cells_are_found():
    assert len(SLOW) >= 7, SLOW

@pytest.mark.parametrize("name", SLOW)
def test_every_slow_cell_is_behind_the_switch(name, monkeypatch):
    cells = code_cells(NBS / name)
    switch = next(i for i, s in enumerate(cells) if "\nFULL_SIZE = False" in "\n" + s)
    first_slow = next(i for i, s in enumerate(cells) if s.startswith("#| slow"))
    assert switch < first_slow, "the switch comes before the cells it holds back"
    monkeypatch.delenv("IN_TEST", raising=False)
    for s in (s for s in cells if s.startswith("#| slow")):
        assert any(line.startswith(GUARD) for line in s.splitlines()[1:3]), s[:200]
        out = io.StringIO()
        with contextlib.redirect_stdout(out): exec(s, {"FULL_SIZE": False, "os": os})  # the body is never reached
        assert out.getvalue().startswith("Not run, because FULL_SIZE is False: ") and "FULL_SIZE = True" in out.getvalue()
