"""A model to ship: PyTorch fp32 and bf16 against its ONNX export in fp32 and int8, on 2 CPU cores.

Trains (or reuses) a run, exports it with `bert-tutorial export` (fp32, then int8), and for each of the four prints:
batched throughput on the validation split (texts/s, batches of 64 sorted by length, as `predict` runs), latency of
one text at a time (median and 90th percentile over `--single` texts), the model file's size, validation accuracy, and
label agreement with PyTorch fp32.

    .venv/bin/python bench/export.py [--run runs/quickstart] [--rows 4000] [--single 200]
"""
import argparse, tempfile, time
from pathlib import Path
import numpy as np
import pandas as pd
from bert_tutorial.export import export_onnx
from bert_tutorial.config import TrainConfig
from bert_tutorial.predict import Classifier
from bert_tutorial.run import run_training
from bert_tutorial.train import prepare

p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
p.add_argument("--run", default=None, help="a finished run to export (default: train one on --rows tweets)")
p.add_argument("--rows", type=int, default=4000)
p.add_argument("--single", type=int, default=200, help="texts timed one at a time")
a = p.parse_args()
work = Path(tempfile.mkdtemp())
cfg = TrainConfig(max_train_rows=a.rows, epochs=1)
run = Path(a.run) if a.run else work / "run"
if not a.run: run_training(cfg, run, progress=False)
valid = prepare(cfg, model=False).valid_df
texts, labels = list(valid.text), list(valid.label)
systems = {"PyTorch fp32": (run, "fp32"), "PyTorch bf16": (run, "bf16"),
           "ONNX fp32": (export_onnx(run, work / "onnx"), "fp32"),
           "ONNX int8": (export_onnx(run, work / "int8", quantize="int8"), "fp32")}
rows, reference, reference_probs = {}, None, None
for name, (folder, precision) in systems.items():
    clf = Classifier(folder, precision=precision, batch_size=64)
    clf.predict(texts[:64])  # warm-up
    start = time.perf_counter(); probs = clf.probabilities(texts); batched = time.perf_counter() - start
    one = []
    for t in texts[:a.single]:
        s = time.perf_counter(); clf.probabilities([t]); one.append(time.perf_counter() - s)
    pred = [clf.id2label[int(i)] for i in probs.argmax(1)]
    reference = reference if reference is not None else pred
    reference_probs = reference_probs if reference_probs is not None else probs
    weights = next(f for f in (folder / "model.onnx", folder / "best" / "model.safetensors", folder / "model.safetensors")
                   if f.exists())
    rows[name] = {"texts/s (batched)": len(texts) / batched, "ms per text (batch 1, median)": 1000 * np.median(one),
                  "ms (batch 1, p90)": 1000 * np.percentile(one, 90), "file MB": weights.stat().st_size / 1e6,
                  "valid accuracy": float(np.mean(np.array(pred) == np.array(labels))),
                  "labels = PyTorch fp32": float(np.mean(np.array(pred) == np.array(reference))),
                  "max prob. difference": float(np.abs(probs - reference_probs).max())}
print(f"{len(texts)} validation tweets; batch-1 latency over {a.single} texts; run: {run}")
print(pd.DataFrame(rows).T.round(4).to_markdown())
