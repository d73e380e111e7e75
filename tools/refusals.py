"""Issue 21's table: every bad `train` input of tests/test_bad_input.py, then the faults of the files a run reads or
writes (a model folder cut short or incomplete, a resumable state cut short or saved before data fingerprints, data
changed under a stopped run, a second training into a folder in use, an output folder that holds the user's own files,
text that is not text), and the faults that need a failing disk or a second Ctrl-C, simulated here as
tests/test_reliability.py does (a full disk while `best/` or the resumable state is written: those rows include the
training before the save). Each goes through the command's `main` in one process, with the one-line message,
the exit status, the seconds it took and whether anything was written or lost. Python's and torch's start-up, about
5 to 7 s on 2 cores, comes on top of these for the installed command (`test_the_installed_command_refuses_in_seconds`).
SIGTERM and kill -9 end a run on purpose, with the state saved (tests/test_reliability.py); they are not refusals.

    python tools/refusals.py [--markdown]
"""
import contextlib, io, os, shutil, sys, tempfile, time, warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

class Stdin(io.TextIOWrapper):
    "Standard input that is not a terminal, holding these bytes."
    def __init__(self, data:bytes): super().__init__(io.BytesIO(data), encoding="utf-8")
    def isatty(self): return False

def refuse(argv:list, t:Path, stdin:bytes=b"", patch=contextlib.nullcontext)->tuple:
    "Run `bert-tutorial ARGV` through `main` here: (last line of stderr, exit status, seconds)."
    from bert_tutorial.cli import main as cli
    err, stdin_was = io.StringIO(), sys.stdin
    start = time.perf_counter()
    sys.stdin = Stdin(stdin)
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings(), \
             patch():
            warnings.simplefilter("ignore")
            try: code = cli([str(a) for a in argv])
            except SystemExit as e: code = e.code
    finally: sys.stdin = stdin_was
    return (err.getvalue().strip().splitlines() or [""])[-1].replace(str(t), "…"), code, time.perf_counter() - start

@contextlib.contextmanager
def full_disk(where:str):
    "The disk fills while `best/` (where='best') or the resumable state (where='state') is written."
    from bert_tutorial import checkpoint
    def write_json(*a, **k): raise OSError(28, "No space left on device")
    def save(obj, path): Path(path).write_bytes(b"half"); raise RuntimeError("PytorchStreamWriter failed writing file")
    name, fake = ("write_json", write_json) if where == "best" else ("torch.save", save)
    owner = checkpoint if where == "best" else checkpoint.torch
    kept = getattr(owner, name.split(".")[-1])
    setattr(owner, name.split(".")[-1], fake)
    try: yield
    finally: setattr(owner, name.split(".")[-1], kept)

@contextlib.contextmanager
def unreadable(name:str):
    "A file the user may not read: what `chmod 000` makes `os.access` say to anyone but root (simulated)."
    access = os.access
    os.access = lambda p, mode, **k: not (Path(p).name == name and mode & os.R_OK) and access(p, mode, **k)
    try: yield
    finally: os.access = access

@contextlib.contextmanager
def second_ctrl_c():
    "A second Ctrl-C (what `run.uninterrupted` lets through once a save is complete)."
    from bert_tutorial import cli
    kept = cli.cmd_train
    def interrupted(a): raise KeyboardInterrupt
    cli.cmd_train = interrupted
    try: yield
    finally: cli.cmd_train = kept

def snapshot(folder:Path)->dict:
    return {p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}

def faults(t:Path)->dict:
    "name -> (argv, the folder whose files must come out unchanged); each built in `t` from a small model."
    from conftest import small_model
    from bert_tutorial.checkpoint import OutputLock
    model = Path(small_model())
    def copy(name, drop=()):
        shutil.copytree(model, t / name)
        for f in drop: (t / name / f).unlink()
        return t / name
    cut = copy("cut"); w = cut / "model.safetensors"; w.write_bytes(w.read_bytes()[: w.stat().st_size // 2])
    notok = copy("notok", [f.name for f in model.iterdir() if f.name.startswith(("tokenizer", "vocab", "special"))])
    onnx = copy("onnx", ["model.safetensors"])
    bad_onnx = copy("bad_onnx", ["model.safetensors"]); (bad_onnx / "model.onnx").write_bytes(b"not onnx at all")
    state = t / "state_run"; state.mkdir(); (state / "training_state.pt").write_bytes(b"PK\x03\x04 cut short")
    data = t / "data.csv"
    data.write_text("label,text\n" + "".join(f"{i % 2},{'good' if i % 2 else 'bad'} text number {i}\n" for i in range(80)))
    stopped = t / "stopped"
    line, code, _ = refuse(["train", "--model", model, "--data", data, "--output", stopped, "--max-steps", "1",
                            "--max-length", "16", "--batch-size", "8", "--no-progress"], t)
    assert code == 0, line
    import torch
    old = t / "old_state"; shutil.copytree(stopped, old)
    s = torch.load(old / "training_state.pt", weights_only=True)
    del s["data"]; torch.save(s, old / "training_state.pt")  # as saved before data fingerprints
    done = t / "done"  # a finished run
    shutil.copytree(model, done / "best"); (done / "metrics.json").write_text("{}")
    own = t / "own"; own.mkdir(); shutil.copy(data, own / "data.csv"); (own / "notes.txt").write_text("mine")
    with data.open("a") as f: f.write("2,a new label\n2,and another\n2,and a third\n")
    busy = t / "busy"; busy.mkdir(); lock = OutputLock(busy); lock.acquire()  # what a running training holds
    tiny = ["--model", model, "--data", own / "data.csv", "--max-length", "16", "--batch-size", "8", "--no-progress"]
    return {
        "weights file cut short (predict)": (["predict", "--model", cut, "a text"], cut),
        "weights file cut short (train --model)": (["train", "--model", cut, "--output", t / "out"], cut),
        "no tokenizer files": (["predict", "--model", notok, "a text"], notok),
        "an export folder without its model.onnx": (["predict", "--model", onnx, "a text"], onnx),
        "a model.onnx onnxruntime cannot read": (["predict", "--model", bad_onnx, "a text"], bad_onnx),
        "training_state.pt cut short": (["train", "--output", state, "--resume"], state),
        "--resume onto a data file with a new label": (["train", "--output", stopped, "--resume"], stopped),
        "--resume from a state saved before data fingerprints": (["train", "--output", old, "--resume"], old),
        "--resume with a training setting": (["train", "--output", stopped, "--resume", "--lr", "1e-3"], stopped),
        "a second training into a folder in use": (["train", "--output", busy, "--overwrite"], busy),
        "--overwrite on the data's own folder (and the user's notes.txt)":
            (["train", "--data", own / "data.csv", "--output", own, "--overwrite"], own),
        "export --overwrite onto the run it exports": (["export", "--model", done, "--output", done,
                                                        "--overwrite"], done),
        "predict: an argument that is not UTF-8": (["predict", "--model", model, "caf\udce9"], model),
        "predict: standard input that is not UTF-8": (["predict", "--model", model], model, b"caf\xe9\n"),
        "predict: standard input with NUL bytes": (["predict", "--model", model], model, b"PK\x03\x04\x00\x00"),
        "a full disk while best/ is saved (after an epoch of 64 rows)":
            (["train", *tiny, "--epochs", "1", "--max-train-rows", "64", "--output", t / "full_best"], own, b"",
             lambda: full_disk("best")),
        "a full disk while the resumable state is saved (after one step)":
            (["train", *tiny, "--max-steps", "1", "--output", t / "full_state"], own, b"", lambda: full_disk("state")),
        "a data file the user may not read (simulated)": (["train", "--data", own / "data.csv", "--output",
                                                          t / "out"], own, b"", lambda: unreadable("data.csv")),
        "a second Ctrl-C (simulated)": (["train", "--output", t / "ctrl_c"], own, b"", second_ctrl_c),
    }

def api_refusals()->list:
    "The same mistakes made from Python: (name, message, the exception's class, seconds, False)."
    from conftest import small_model
    from bert_tutorial.config import TrainConfig
    from bert_tutorial.data import UserError
    from bert_tutorial.predict import Classifier
    clf = Classifier(small_model())
    rows = []
    for name, call in {"Python: TrainConfig(data=123).check()": lambda: TrainConfig(data=123).check(),
                       "Python: Classifier(...).predict([None, 3])": lambda: clf.predict([None, 3])}.items():
        start = time.perf_counter()
        try: call(); raise AssertionError(f"{name} was accepted")
        except UserError as e: rows.append((name, str(e), type(e).__name__, time.perf_counter() - start, False))
    return rows

def main(markdown=False):
    from test_bad_input import CASES
    rows = []
    for name, (args, _) in CASES.items():
        with tempfile.TemporaryDirectory() as t:
            t = Path(t)
            line, code, seconds = refuse(["train", *args(t), "--max-train-rows", "8", "--no-progress", "--output",
                                          t / "out"], t)
            rows.append((name, line, code, seconds, (t / "out").exists()))
    with tempfile.TemporaryDirectory() as t:
        t = Path(t)
        for name, (argv, kept, *how) in faults(t).items():
            before = snapshot(kept)
            line, code, seconds = refuse(argv, t, *how)
            rows.append((name, line, code, seconds, snapshot(kept) != before or (t / "out").exists()
                         or any(t.glob("full_*/*.tmp"))))
    rows += api_refusals()
    if markdown:
        print("| case | what the user sees | exit | seconds |\n|---|---|---|---|")
        for name, line, code, s, wrote in rows:
            print(f"| {name} | `{line.replace('|', '/')}` | {code} | {s:.2f} |" + (" WROTE OR CHANGED FILES" if wrote else ""))
    else:
        for name, line, code, s, wrote in rows: print(f"{s:6.2f} s  exit {code}  {name}: {line[:120]}")
    print(f"\n{len(rows)} refusals, {sum(r[2] == 2 for r in rows)} with exit 2, {sum(r[2] == 130 for r in rows)} "
          f"with 130, {sum(isinstance(r[2], str) for r in rows)} raised from Python, {sum(r[4] for r in rows)} wrote "
          f"or changed files; median {sorted(r[3] for r in rows)[len(rows) // 2]:.2f} s, "
          f"slowest {max(r[3] for r in rows):.2f} s")

if __name__ == "__main__": main("--markdown" in sys.argv)
