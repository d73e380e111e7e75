"""Issue 21's table: every bad `train` input of tests/test_bad_input.py, then the faults of the files a run reads or
writes (a model folder cut short or incomplete, a resumable state cut short, data changed under a stopped run, a second
training into a folder in use), each refused through the command's `main` in one process, with the one-line message,
the exit status, the seconds each refusal took and whether anything was written or lost. Python's and torch's
start-up, about 7 s on 2 cores, comes on top of these for the installed command
(`test_the_installed_command_refuses_in_seconds`). The faults that need a signal or a failing disk (a second Ctrl-C
during a save, SIGTERM, kill -9, a full disk) are tested in tests/test_reliability.py instead.

    python tools/refusals.py [--markdown]
"""
import contextlib, io, os, shutil, sys, tempfile, time, warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

def refuse(argv:list, t:Path)->tuple:
    "Run `bert-tutorial ARGV` through `main` here: (last line of stderr, exit status, seconds)."
    from bert_tutorial.cli import main as cli
    err = io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try: code = cli([str(a) for a in argv])
        except SystemExit as e: code = e.code
    return (err.getvalue().strip().splitlines() or [""])[-1].replace(str(t), "…"), code, time.perf_counter() - start

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
    with data.open("a") as f: f.write("2,a new label\n2,and another\n2,and a third\n")
    busy = t / "busy"; busy.mkdir(); lock = OutputLock(busy); lock.acquire()  # what a running training holds
    return {
        "weights file cut short (predict)": (["predict", "--model", cut, "a text"], cut),
        "weights file cut short (train --model)": (["train", "--model", cut, "--output", t / "out"], cut),
        "no tokenizer files": (["predict", "--model", notok, "a text"], notok),
        "an export folder without its model.onnx": (["predict", "--model", onnx, "a text"], onnx),
        "a model.onnx onnxruntime cannot read": (["predict", "--model", bad_onnx, "a text"], bad_onnx),
        "training_state.pt cut short": (["train", "--output", state, "--resume"], state),
        "--resume onto a data file with a new label": (["train", "--output", stopped, "--resume"], stopped),
        "--resume with a training setting": (["train", "--output", stopped, "--resume", "--lr", "1e-3"], stopped),
        "a second training into a folder in use": (["train", "--output", busy, "--overwrite"], busy),
    }

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
        for name, (argv, kept) in faults(t).items():
            before = snapshot(kept)
            line, code, seconds = refuse(argv, t)
            rows.append((name, line, code, seconds, snapshot(kept) != before or (t / "out").exists()))
    if markdown:
        print("| case | what the user sees | exit | seconds |\n|---|---|---|---|")
        for name, line, code, s, wrote in rows:
            print(f"| {name} | `{line.replace('|', '/')}` | {code} | {s:.2f} |" + (" WROTE OR CHANGED FILES" if wrote else ""))
    else:
        for name, line, code, s, wrote in rows: print(f"{s:6.2f} s  exit {code}  {name}: {line[:120]}")
    print(f"\n{len(rows)} refusals, {sum(r[2] == 2 for r in rows)} with exit 2, {sum(r[4] for r in rows)} wrote or changed files; "
          f"median {sorted(r[3] for r in rows)[len(rows) // 2]:.2f} s, slowest {max(r[3] for r in rows):.2f} s")

if __name__ == "__main__": main("--markdown" in sys.argv)
