"""Does freezing the word-embedding table speed up `train`'s path on 2 CPU cores?

The word embeddings are 11.7M of all-MiniLM-L6-v2's 22.7M parameters. Trained, each step computes a dense gradient
for the whole table and AdamW updates all of it; frozen, both are skipped. Times `fit` (the loop `train` runs) over
one whole epoch of `--rows` training rows, alternating trained and frozen `--repeats` times from the same weights.

    .venv/bin/python bench/freeze_probe.py [--data chinese_reviews] [--rows 2000] [--repeats 2]
"""
import argparse
from dataclasses import replace
import numpy as np
from bert_tutorial.optim import TrainConfig
from bert_tutorial.train import prepare, fit
from bert_tutorial.bench import fresh_model

p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
p.add_argument("--data", default=None)
p.add_argument("--rows", type=int, default=2000)
p.add_argument("--repeats", type=int, default=2)
a = p.parse_args()
cfg = replace(TrainConfig(), data=a.data, max_train_rows=a.rows, epochs=1)
prep = prepare(cfg, model=False)
rates = {"trained": [], "frozen": []}
for r in range(a.repeats):
    for kind in rates:
        model = fresh_model(prep, cfg)
        if kind == "frozen": model.base_model.embeddings.word_embeddings.weight.requires_grad_(False)
        row = fit(model, prep, cfg, progress=False)[0]
        rates[kind].append(row["train_samples"] / row["train_seconds"])
        print(f"{kind:8} {rates[kind][-1]:7.1f} samples/s", flush=True)
for kind, v in rates.items():
    print(f"{kind:8} median {np.median(v):.1f} samples/s (min {min(v):.1f}, max {max(v):.1f})")
