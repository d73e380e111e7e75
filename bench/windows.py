"""Long documents by sliding windows, at full size: the BBC news (1,700 training and 425 validation articles, one
epoch, seed 42), head, tail and head+tail truncation against windows at prediction only (the head run's checkpoint,
mean and max of the windows' probabilities) and windows at training and prediction, at each max length.

    .venv/bin/python bench/windows.py [--max-lengths 128 256] [--stride-share 0.25] [--matched]

--matched also trains the head for as many epochs as the windows' training tokens need (the same compute).
Prints one markdown table per max length: accuracy and macro-F1 on the validation articles, training and prediction
seconds, and the tokens each read.
"""
import argparse, math, tempfile, time
from pathlib import Path

import pandas as pd

from bert_tutorial.config import TrainConfig
from bert_tutorial.evaluate import classification_metrics, predict_logits
from bert_tutorial.predict import Classifier
from bert_tutorial.run import run_training
from bert_tutorial.train import prepare
from bert_tutorial.windows import WindowedDataset, aggregate_windows

p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
p.add_argument("--max-lengths", type=int, nargs="+", default=[128])
p.add_argument("--stride-share", type=float, default=0.25, help="stride as a share of the max length")
p.add_argument("--matched", action="store_true")
a = p.parse_args()
root = Path(tempfile.mkdtemp())

for n in a.max_lengths:
    stride = int(n * a.stride_share)
    base = dict(data="bbc_news", valid_pct=0.2, test_pct=0, max_length=n, epochs=1, batch_size=16)
    split = prepare(TrainConfig(**base), model=False)
    valid = split.valid_df
    rows = {}
    def score(folder, name, train_s, train_tokens, **how):
        clf = Classifier(folder, **how)
        ids = valid.label.map({v: k for k, v in clf.id2label.items()}).values
        t = time.perf_counter()
        if how.get("truncation") == "windows":
            ds = WindowedDataset(clf.tokenizer, valid.text, ids, n, stride, aggregate=None)
            z = predict_logits(clf.model, ds, clf.tokenizer, 64, clf.device, clf.precision)
            seconds, tokens = time.perf_counter() - t, int(ds.lengths().sum())
            for agg in ("mean", "max"):
                m = classification_metrics(ids, aggregate_windows(z, ds.text_index, agg).argmax(1))
                rows[f"{name}, windows at prediction ({agg})" if "trained" not in name else f"{name} ({agg})"] = {
                    "accuracy": m["accuracy"], "macro_f1": m["macro_f1"], "training s": train_s,
                    "prediction s": seconds, "training tokens": train_tokens, "prediction tokens": tokens}
            return
        z = clf.logits(list(valid.text))
        m = classification_metrics(ids, z.argmax(1))
        rows[name] = {"accuracy": m["accuracy"], "macro_f1": m["macro_f1"], "training s": train_s,
                      "prediction s": time.perf_counter() - t, "training tokens": train_tokens,
                      "prediction tokens": None}
    head_tokens = int(split.train_ds.lengths().sum())
    for cut in ("head", "tail", "head+tail"):
        m = run_training(TrainConfig(**base, truncation=cut), root / f"{n}_{cut}", progress=False)
        score(root / f"{n}_{cut}", cut, m["train_seconds"], head_tokens)
        print(f"  {n} {cut}: {rows[cut]}", flush=True)
    score(root / f"{n}_head", "head", rows["head"]["training s"], head_tokens, truncation="windows", stride=stride)
    wcfg = TrainConfig(**base, truncation="windows", stride=stride)
    window_tokens = int(prepare(wcfg, model=False).train_ds.lengths().sum())
    m = run_training(wcfg, root / f"{n}_windows", progress=False)
    score(root / f"{n}_windows", "windows trained, windows at prediction", m["train_seconds"], window_tokens,
          truncation="windows", stride=stride)
    if a.matched:
        epochs = math.ceil(window_tokens / head_tokens)
        m = run_training(TrainConfig(**{**base, "epochs": epochs}), root / f"{n}_head_matched", progress=False)
        score(root / f"{n}_head_matched", f"head, {epochs} epochs", m["train_seconds"], epochs * head_tokens)
    table = pd.DataFrame(rows).T
    print(f"\nmax length {n}, stride {stride} (windows), {len(split.train_df)} training and {len(valid)} validation "
          f"articles, one epoch:\n")
    print(table.to_markdown(floatfmt=".4f"), flush=True)
