"""Evaluating within epochs on a small training set: once per epoch, against every N optimizer steps.

Same split, seed and settings (the course's defaults; `--rows` training rows, `--valid-rows` validation rows, the whole
test split, `--epochs` epochs), with early stopping in both: `--patience 1` counted in epochs, against
`--eval-every N --patience P` counted in evaluations. Prints, for each, the evaluations, where training stopped and
where the kept model was, the training and evaluation seconds, and the kept model's validation and test accuracy.

    .venv/bin/python bench/eval_every.py [--rows 1200] [--valid-rows 1000] [--epochs 4] [--every 10] [--patience 3]
"""
import argparse, tempfile, time
from dataclasses import replace
from pathlib import Path

import pandas as pd

from bert_tutorial.config import TrainConfig
from bert_tutorial.run import run_training

p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
p.add_argument("--rows", type=int, default=1200)
p.add_argument("--valid-rows", type=int, default=1000)
p.add_argument("--epochs", type=int, default=4)
p.add_argument("--every", type=int, default=10)
p.add_argument("--patience", type=int, default=3)
a = p.parse_args()
base = TrainConfig(max_train_rows=a.rows, max_valid_rows=a.valid_rows, epochs=a.epochs)
runs = {"each epoch, --patience 1": replace(base, patience=1),
        f"--eval-every {a.every} --patience {a.patience}": replace(base, eval_every=a.every, patience=a.patience)}
rows = {}
for name, cfg in runs.items():
    start = time.perf_counter()
    m = run_training(cfg, Path(tempfile.mkdtemp()) / "run", progress=False)
    h = m["history"]
    rows[name] = {"evaluations": len(h), "stopped at epoch": h[-1]["epoch"], "steps": h[-1]["step"],
                  "kept epoch": m["best_epoch"], "kept step": m["best_step"],
                  "train s": round(m["train_seconds"], 1),
                  "wall s": round(time.perf_counter() - start, 1),
                  "valid accuracy": round(m["accuracy"], 4), "test accuracy": round(m["test"]["accuracy"], 4),
                  "test macro-F1": round(m["test"]["macro_f1"], 4)}
    print(name, [(r["epoch"], round(r["accuracy"], 4)) for r in h], flush=True)
print(f"\n{a.rows} training rows, {a.valid_rows} validation rows, the whole test split, up to {a.epochs} epochs, "
      "seed 42, 2 threads\n")
print(pd.DataFrame.from_dict(rows, orient="index").to_markdown())
