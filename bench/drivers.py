"""The four drivers on one split of the default data, each checkpoint loaded by `predict` and by `transformers.pipeline`.

Usage: .venv/bin/python bench/drivers.py [--train-rows 4000] [--out bench/out/drivers]
Prints a markdown table: validation and test accuracy and macro-F1 per driver (from metrics.json), the test accuracy of
`bert-tutorial predict` and of `transformers.pipeline(..., truncation=True)` on the same test texts, and how many of
their labels agree. The DDP run uses `--layer-decay 0.9 --grad-accum 2` (the settings of the issue-10 defects).
"""
import argparse, json, os, socket, subprocess, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

def free_port()->str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0)); return str(s.getsockname()[1])

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--train-rows", default="4000")
    ap.add_argument("--out", default=str(ROOT / "bench" / "out" / "drivers"))
    a = ap.parse_args()
    out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
    bert = str(BIN / "bert-tutorial")
    common = ["--max-train-rows", a.train_rows, "--epochs", "1", "--no-progress", "--overwrite"]
    runs = {
        "loop": [bert, "train", "--driver", "loop"],
        "ddp x2 (layer decay 0.9, grad accum 2)": [str(BIN / "torchrun"), "--nproc_per_node", "2", "--master_port", free_port(),
                                                   "--no-python", bert, "train", "--driver", "ddp", "--layer-decay", "0.9",
                                                   "--grad-accum", "2"],
        "accelerate": [bert, "train", "--driver", "accelerate"],
        "trainer": [bert, "train", "--driver", "trainer"],
    }
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    sys.path.insert(0, str(ROOT))
    from transformers import pipeline
    from bert_tutorial.config import TrainConfig
    from bert_tutorial.predict import Classifier
    from bert_tutorial.train import prepare
    test_df = prepare(TrainConfig(max_train_rows=int(a.train_rows)), model=False).test_df
    rows = []
    for name, cmd in runs.items():
        folder = out / name.split()[0]
        start = time.perf_counter()
        r = subprocess.run(cmd + common + ["--output", str(folder)], capture_output=True, text=True, env=env)
        if r.returncode: sys.exit(f"{name} failed:\n{r.stderr[-3000:]}")
        wall = time.perf_counter() - start
        m = json.loads((folder / "metrics.json").read_text())
        texts, truth = list(test_df.text), list(test_df.label)
        ours = [p["label"] for p in Classifier(folder, precision="fp32").predict(texts)]
        pipe = pipeline("text-classification", model=str(folder / "best"), device="cpu")
        theirs = [p["label"] for p in pipe(texts, truncation=True, batch_size=64)]
        acc = lambda labels: sum(x == y for x, y in zip(labels, truth)) / len(truth)
        rows.append((name, m["accuracy"], m["macro_f1"], m["test"]["accuracy"], m["test"]["macro_f1"], acc(ours),
                     acc(theirs), sum(x == y for x, y in zip(ours, theirs)), len(texts), m["train_seconds"], wall))
        print(f"done: {name}", file=sys.stderr)
    print(f"{a.train_rows} training tweets, 1 epoch, the default settings otherwise; validation and test: the whole splits\n")
    print("| driver | valid acc | valid F1 | test acc | test F1 | predict: test acc | pipeline: test acc | same labels | train s | wall s |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r[0]} | {r[1]:.4f} | {r[2]:.4f} | {r[3]:.4f} | {r[4]:.4f} | {r[5]:.4f} | {r[6]:.4f} | {r[7]} of {r[8]} "
              f"| {r[9]:.0f} | {r[10]:.0f} |")

if __name__ == "__main__":
    main()
