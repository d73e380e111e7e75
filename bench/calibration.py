"""Calibration on the whole data set: a run with `--calibrate temperature`, its ECE before and after, and TF-IDF's.

The course's defaults on the whole training split (`--epochs` epochs, `--data` a built-in set), the temperature fitted
on the validation split; prints the temperature, accuracy and ECE (10 bins) on validation and test, the TF-IDF
baseline's ECE on test, and the bootstrap standard deviation of each test ECE (200 resamples of the test split);
draws the reliability diagram to bench/results/calibration_<data>.png.

    .venv/bin/python bench/calibration.py [--epochs 2] [--data tweets]
"""
import argparse, tempfile
from pathlib import Path

import numpy as np
import torch

from bert_tutorial.calibrate import expected_calibration_error, plot_reliability
from bert_tutorial.config import TrainConfig
from bert_tutorial.evaluate import tfidf_baseline
from bert_tutorial.predict import Classifier
from bert_tutorial.run import run_training
from bert_tutorial.train import prepare

p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
p.add_argument("--epochs", type=int, default=2)
p.add_argument("--data", default="tweets")
a = p.parse_args()
cfg = TrainConfig(data=a.data, epochs=a.epochs, calibrate="temperature")
out = Path(tempfile.mkdtemp()) / "run"
m = run_training(cfg, out, progress=True)
found, split = m["calibration"], prepare(cfg, model=False)
clf = Classifier(out, precision="fp32")
ids = {label: i for i, label in clf.id2label.items()}
y = split.test_df.label.map(ids).values
after = clf.logits(list(split.test_df.text))  # the saved head: logits already divided by T
probs = {"fine-tuned": torch.softmax(torch.from_numpy(after * found["temperature"]), -1).numpy(),
         f"fine-tuned, T = {found['temperature']:.2f}": torch.softmax(torch.from_numpy(after), -1).numpy(),
         "TF-IDF": tfidf_baseline(split.train_df.text, split.train_df.label, {"test": (split.test_df.text,
                                  split.test_df.label)}, probabilities=True)["test"]["probabilities"]}
rng = np.random.default_rng(0)
draws = [rng.integers(0, len(y), len(y)) for _ in range(200)]
print(f"{a.data}: {m['n_train']} training rows, {a.epochs} epochs, {m['precision']}; temperature "
      f"{found['temperature']:.4f}; validation accuracy {found['valid']['accuracy']:.4f}, ECE "
      f"{found['valid']['ece_before']:.4f} -> {found['valid']['ece_after']:.4f}; test accuracy "
      f"{m['test']['accuracy']:.4f} (before scaling {found['test']['accuracy']:.4f})")
print("| test split | accuracy | ECE | bootstrap std |\n|---|---|---|---|")
for name, pr in probs.items():
    ece = expected_calibration_error(pr, y)
    std = np.std([expected_calibration_error(pr[d], y[d]) for d in draws])
    print(f"| {name} | {(pr.argmax(1) == y).mean():.4f} | {ece:.4f} | {std:.4f} |")
fig = plot_reliability({k: (v, y) for k, v in probs.items()}, title=f"Test split of {a.data}, {len(y)} texts")
Path("bench/results").mkdir(parents=True, exist_ok=True)
fig.savefig(f"bench/results/calibration_{a.data}.png", dpi=100, bbox_inches="tight")
