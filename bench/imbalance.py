"""Class weights on a rare class: the tweets made 10:1, trained without and with `--class-weights balanced`.

Same split, same seed, same settings otherwise (the course's defaults, `--rows` training rows sampled from the
training split, `--epochs` epochs); prints accuracy, macro-F1 and the rare class's recall on validation and test.

    .venv/bin/python bench/imbalance.py [--rows 4000] [--epochs 2] [--ratio 10]
"""
import argparse, tempfile
from pathlib import Path
from bert_tutorial.data import load_data
from bert_tutorial.imbalance import compare_class_weights, make_imbalanced
from bert_tutorial.config import TrainConfig

p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
p.add_argument("--rows", type=int, default=4000)
p.add_argument("--epochs", type=int, default=2)
p.add_argument("--ratio", type=int, default=10)
p.add_argument("--rare", default="positive")
a = p.parse_args()
work = Path(tempfile.mkdtemp())
skewed = make_imbalanced(load_data("tweets"), a.rare, a.ratio)
skewed.to_csv(work / "tweets.csv", index=False)
counts = skewed.label.value_counts()
print(f"tweets made {a.ratio}:1 ({', '.join(f'{k} {v}' for k, v in counts.items())}); "
      f"{a.rows} training rows, {a.epochs} epochs, seed 42")
table = compare_class_weights(TrainConfig(data=str(work / "tweets.csv"), max_train_rows=a.rows, epochs=a.epochs),
                              a.rare, work / "runs")
print(table.round(4).to_markdown())
