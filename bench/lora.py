"""LoRA against full fine-tuning, at a fixed budget (issue 26): on the tweets and on the Chinese reviews, the course's
default path trained fully and with LoRA adapters of one rank, the same rows, split, epochs and seed.

    .venv/bin/python bench/lora.py [--data tweets chinese_reviews] [--rank 8] [--rows 4000] [--dev-rows 1000]
                                   [--epochs 2] [--no-race]

Part 1 runs `bert-tutorial train` once each way, each in its own process, so that its peak memory is that process's
own (the operating system's maximum resident set, from os.wait4): validation and test accuracy, training seconds,
samples/s, trainable parameters, and the size of the saved weights (best/model.safetensors) against the adapter alone
(best/adapter/). Part 2 races the two, and the Hugging Face Trainer, to the Trainer default's dev accuracy after one
epoch (`time_to_accuracy(lora=rank)`, as `bert-tutorial bench --time-to-accuracy`), training time only.
Prints one markdown table per part and data set; the race's plot goes to bench/results/lora_race_DATA.png.
"""
import argparse, json, os, subprocess, sys, tempfile, time
from pathlib import Path

import pandas as pd

from bert_tutorial.bench import format_time_to_accuracy, plot_time_to_accuracy, time_to_accuracy
from bert_tutorial.config import TrainConfig
from bert_tutorial.lora import ADAPTER_DIR, trainable_parameters
from bert_tutorial.train import prepare

p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
p.add_argument("--data", nargs="+", default=["tweets", "chinese_reviews"])
p.add_argument("--rank", type=int, default=8)
p.add_argument("--rows", type=int, default=4000)
p.add_argument("--dev-rows", type=int, default=1000)
p.add_argument("--epochs", type=int, default=2)
p.add_argument("--no-race", action="store_true", help="part 1 only")
a = p.parse_args()
root = Path(tempfile.mkdtemp())
bert = str(Path(sys.executable).parent / "bert-tutorial")

def mb(folder): return sum(f.stat().st_size for f in Path(folder).glob("*.safetensors")) / 2**20

def train(data, lora):
    "One run in its own process: its metrics, seconds of wall time, and peak resident memory in MB."
    out = root / f"{data}_{lora or 'full'}"
    args = [bert, "train", "--data", data, "--max-train-rows", str(a.rows), "--max-valid-rows", str(a.dev_rows),
            "--max-test-rows", "1000", "--epochs", str(a.epochs), "--no-progress", "--output", str(out)]
    start = time.perf_counter()
    child = subprocess.Popen(args + (["--lora", str(lora)] if lora else []), stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, f"{args} failed"
    m = json.loads((out / "metrics.json").read_text())
    m["wall"], m["peak_mb"] = time.perf_counter() - start, usage.ru_maxrss / 1024
    m["saved_mb"] = mb(out / "best" / ADAPTER_DIR) if lora else mb(out / "best")
    return m

for data in a.data:
    rows = {}
    for lora in (None, a.rank):
        cfg = TrainConfig(data=data, max_train_rows=a.rows, max_valid_rows=a.dev_rows, lora=lora)
        count = trainable_parameters(prepare(cfg).model)
        m = train(data, lora)
        name = f"LoRA rank {lora}" if lora else "full fine-tuning"
        rows[name] = {"trainable": count["trainable"], "share": count["share"], "accuracy": m["accuracy"],
                      "test accuracy": m["test"]["accuracy"], "train s": m["train_seconds"],
                      "samples/s": m["train_samples_per_second"], "peak MB": m["peak_mb"],
                      "saved MB": m["saved_mb"]}
        print(f"  {data} {name}: {rows[name]}", flush=True)
    print(f"\n{data}: {a.rows} training rows, {a.dev_rows} validation, 1000 test, {a.epochs} epochs, seed 42 "
          f"(the run's lr: the course's default, or LORA_LR with LoRA):\n")
    print(pd.DataFrame(rows).T.to_markdown(floatfmt=".4f"), flush=True)
    if not a.no_race:
        r = time_to_accuracy(TrainConfig(data=data), rows=a.rows, dev_rows=a.dev_rows, epochs=a.epochs,
                             lora=a.rank)
        print("\n" + format_time_to_accuracy(r), flush=True)
        plot = Path(__file__).parent / "results" / f"lora_race_{data}.png"
        plot_time_to_accuracy(r).figure.savefig(plot, dpi=120, bbox_inches="tight")
        print(f"plot: {plot}", flush=True)
