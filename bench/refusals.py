"""How fast a mistake is refused: each bad setting run through the installed `bert-tutorial` command, timed end to end
(Python start-up and imports included), with the one line it prints.

Usage: .venv/bin/python bench/refusals.py   (prints a markdown table; run with nothing else on the machine)
Every file case runs in a folder of files made for it, and the script checks that no file there changed.
"""
import os, subprocess, sys, tempfile, time
from pathlib import Path

BIN = Path(sys.executable).parent / "bert-tutorial"
CASES = [
    ("train --lr nan", ["train", "--lr", "nan"]),
    ("train --warmup 1", ["train", "--warmup", "1"]),
    ("train --warmup -0.1", ["train", "--warmup", "-0.1"]),
    ("train --max-grad-norm 0", ["train", "--max-grad-norm", "0"]),
    ("train --save-every 0", ["train", "--save-every", "0"]),
    ("train --metric acc", ["train", "--metric", "acc"]),
    ("train --device gpu", ["train", "--device", "gpu"]),
    ("train --device cuda:7", ["train", "--device", "cuda:7"]),
    ("train --precision fp16 (on a CPU)", ["train", "--precision", "fp16"]),
    ("train --driver ddp (outside torchrun)", ["train", "--driver", "ddp"]),
    ("train --driver trainer --resume", ["train", "--driver", "trainer", "--resume"]),
    ("train --data tweet", ["train", "--data", "tweet"]),
    ("train --max-length 4096", ["train", "--max-length", "4096"]),
    ("predict --model missing", ["predict", "--model", "missing", "text"]),
    ("bench --rows 0", ["bench", "--rows", "0"]),
    ("bench --time-to-accuracy --rows 0", ["bench", "--time-to-accuracy", "--rows", "0"]),
]
# issue 21's cases: files and folders a careless user points the command at (made by `make_files`, run in that folder)
FILE_CASES = [
    ("train --data data.csv --output . --overwrite (beside thesis.tex)",
     ["train", "--data", "data.csv", "--output", ".", "--overwrite"]),
    ("train --data project/reviews.csv --output project --overwrite",
     ["train", "--data", "project/reviews.csv", "--output", "project", "--overwrite"]),
    ("train --output project (no --overwrite)", ["train", "--output", "project"]),
    ("train --output run --overwrite (run/notes.txt beside the run)", ["train", "--output", "run", "--overwrite"]),
    ("train --model run/best --output run --overwrite", ["train", "--model", "clean_run/best", "--output", "clean_run",
                                                          "--overwrite"]),
    ("export --model run --output run --overwrite", ["export", "--model", "clean_run", "--output", "clean_run",
                                                     "--overwrite"]),
    ("export --model run --output project --overwrite", ["export", "--model", "clean_run", "--output", "project",
                                                         "--overwrite"]),
    ("train --data data.csv.gz", ["train", "--data", "data.csv.gz"]),
    ("train --data extra_field.csv", ["train", "--data", "extra_field.csv"]),
    ("train --data unbalanced_quote.csv", ["train", "--data", "unbalanced_quote.csv"]),
    ("train --text-col label", ["train", "--text-col", "label"]),
    ("train --valid-data dev.csv --valid-pct 0.2", ["train", "--valid-data", "dev.csv", "--valid-pct", "0.2"]),
]

def make_files(folder:Path):
    import gzip, json
    rows = "label,text\n" + "".join(f"{i % 2},text number {i}\n" for i in range(40))
    (folder / "data.csv").write_text(rows); (folder / "thesis.tex").write_text("\\begin{document}")
    (folder / "project").mkdir(); (folder / "project" / "reviews.csv").write_text(rows)
    (folder / "project" / "notes.md").write_text("to do")
    for name in ("run", "clean_run"):
        (folder / name / "best").mkdir(parents=True)
        for f in ("config.json", "training_config.json"): (folder / name / "best" / f).write_text(json.dumps({"model_type": "bert"}))
        (folder / name / "metrics.json").write_text("{}")
    (folder / "run" / "notes.txt").write_text("what I tried")
    (folder / "data.csv.gz").write_bytes(gzip.compress(rows.encode()))
    (folder / "extra_field.csv").write_text("label,text\n1,a\n0,b,c\n1,d\n")
    (folder / "unbalanced_quote.csv").write_text('label,text\n1,"a\n0,b\n1,c\n')
    (folder / "dev.csv").write_text("label,text\n1,a\n0,b\n")

def snapshot(folder:Path)->dict:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}

def main():
    out = Path(tempfile.mkdtemp()) / "out"
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    print("| command | exit | seconds | what it prints |")
    print("|---|---|---|---|")
    for name, args in CASES:
        args = args + (["--output", str(out)] if args[0] == "train" else [])
        start = time.perf_counter()
        r = subprocess.run([str(BIN), *args], capture_output=True, text=True, env=env, timeout=120)
        seconds = time.perf_counter() - start
        line = r.stderr.strip().splitlines()[-1] if r.stderr.strip() else ""
        assert not out.exists(), "a refused run wrote its folder"
        print(f"| `bert-tutorial {name}` | {r.returncode} | {seconds:.1f} | {line.replace('|', '/')} |")
    files = Path(tempfile.mkdtemp())
    make_files(files)
    before = snapshot(files)
    for name, args in FILE_CASES:
        args = args + (["--output", str(out)] if args[0] == "train" and "--output" not in args else [])
        start = time.perf_counter()
        r = subprocess.run([str(BIN), *args], capture_output=True, text=True, env=env, timeout=120, cwd=files)
        seconds = time.perf_counter() - start
        line = r.stderr.strip().splitlines()[-1] if r.stderr.strip() else ""
        assert snapshot(files) == before and not out.exists(), f"{name} changed a file"
        print(f"| `bert-tutorial {name}` | {r.returncode} | {seconds:.1f} | {line.replace('|', '/').replace(str(files), '…')} |")

if __name__ == "__main__":
    main()
