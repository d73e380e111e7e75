"""How much a seed matters: the default configuration with 5 seeds, the BERT paper's grid with 2 seeds each.

The same split for every run (`split_seed` = 42); the seed varies the new head, the batch order and dropout.
Prints every run and the spread (mean, standard deviation, min, max, range) of test and validation accuracy per
setting; writes the strip plot to `--plot`.

    .venv/bin/python bench/seeds.py [--rows 2000] [--epochs 1] [--plot bench/out/seeds.png]
"""
import argparse
import pandas as pd
import matplotlib; matplotlib.use("Agg")
import matplotlib.pyplot as plt
from bert_tutorial.config import TrainConfig
from bert_tutorial.seeds import plot_seeds, seed_runs, spread

p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
p.add_argument("--rows", type=int, default=2000)
p.add_argument("--epochs", type=int, default=1)
p.add_argument("--plot", default="bench/out/seeds.png")
a = p.parse_args()
cfg = TrainConfig(max_train_rows=a.rows, max_valid_rows=1000, max_test_rows=1000, epochs=a.epochs)
grid = {f"lr {lr:g}, batch {bs}": {"lr": lr, "batch_size": bs} for lr in (2e-5, 3e-5, 5e-5) for bs in (16, 32)}
runs = pd.concat([seed_runs(cfg, seeds=(1, 2, 3, 4, 5), settings={"default (lr 1e-4, batch 32)": {}}, progress=False),
                  seed_runs(cfg, seeds=(1, 2), settings=grid, progress=False)])
print(f"tweets: {a.rows} training rows, {a.epochs} epoch(s), 1,000 validation and 1,000 test rows, one split")
print(runs.round(4).to_markdown(index=False))
for score in ("test accuracy", "valid accuracy"):
    print(f"\n{score}:\n" + spread(runs, score).round(4).to_markdown())
fig, ax = plt.subplots(figsize=(9, 3.5))
plot_seeds(runs, ax=ax); fig.tight_layout(); fig.savefig(a.plot, dpi=100)
print(f"\nplot: {a.plot}")
