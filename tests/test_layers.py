"""The package's layering: imports point down only, and `predict` loads no training code."""
import re, subprocess, sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "bert_tutorial"
# lowest first: a module may import only modules listed before it
LAYERS = ["data", "tokenize", "windows", "model", "lora", "config", "optim", "train", "evaluate", "calibrate", "checkpoint", "run", "predict",
          "ddp", "accel", "hf_trainer", "bench", "chinese", "imbalance", "seeds", "export", "mislabels", "cli"]

def imports(module:str)->set:
    src = (PACKAGE / f"{module}.py").read_text()
    return set(re.findall(r"^from \.(\w+) import", src, re.M)) | set(re.findall(r"from bert_tutorial\.(\w+) import", src))

def test_every_module_is_in_a_layer():
    found = {p.stem for p in PACKAGE.glob("*.py")} - {"__init__", "_modidx"}
    assert found == set(LAYERS), found ^ set(LAYERS)

def test_imports_point_down_only():
    for i, module in enumerate(LAYERS):
        above = imports(module) - set(LAYERS[:i])
        assert not above, f"{module} imports {above}, which sit above it"

def test_predict_loads_no_training_code():
    code = ("import sys, bert_tutorial.predict; "
            "print(sorted(m for m in sys.modules if m in ('bert_tutorial.train', 'bert_tutorial.optim', 'bert_tutorial.run')))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]", r.stdout
