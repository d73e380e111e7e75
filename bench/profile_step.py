"""Where a training step's time goes: matrix multiplies against everything else, on `train`'s own path.

Runs `train_epoch` (the loop `train` runs, bf16 autocast, fused AdamW) over `--rows` training rows under
`torch.profiler` after one warm-up epoch, and prints the share of CPU self-time in matrix-multiply kernels (the only
ones the FLOP count of `bert-tutorial bench` counts) and the largest other operators.

    .venv/bin/python bench/profile_step.py [--data chinese_reviews] [--rows 512]
"""
import argparse
from dataclasses import replace
from torch.profiler import ProfilerActivity, profile
from bert_tutorial.bench import fresh_model
from bert_tutorial.model import choose_precision, pick_device
from bert_tutorial.config import TrainConfig
from bert_tutorial.train import Engine, optimizer_and_schedule, prepare, train_epoch, train_loaders

p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
p.add_argument("--data", default=None)
p.add_argument("--rows", type=int, default=512)
a = p.parse_args()
cfg = replace(TrainConfig(), data=a.data, max_train_rows=a.rows, epochs=2)
prep = prepare(cfg, model=False)
device = pick_device(None); precision = choose_precision(device, "auto")
model = fresh_model(prep, cfg)
loaders = train_loaders(prep, cfg)
opt, sched = optimizer_and_schedule(model, cfg, len(loaders(0)))
engine = Engine(device, precision, progress=False)
train_epoch(model, loaders(0), opt, sched, engine)  # warm-up: kernels for every shape
with profile(activities=[ProfilerActivity.CPU]) as prof:
    row = train_epoch(model, loaders(1), opt, sched, engine)
events = prof.key_averages()
total = sum(e.self_cpu_time_total for e in events)
GEMM = ("mm", "addmm", "bmm", "matmul", "linear", "baddbmm", "mkldnn", "onednn", "gemm")
gemm = sum(e.self_cpu_time_total for e in events if any(g in e.key.lower() for g in GEMM))
print(f"{a.data or 'tweets'}: {row['train_samples']} samples in {row['train_seconds']:.1f} s "
      f"({row['train_samples'] / row['train_seconds']:.1f} samples/s, profiled)")
print(f"matrix-multiply kernels: {gemm / total:.1%} of CPU self-time; everything else: {1 - gemm / total:.1%}")
print("largest operators by self-time:")
for e in sorted(events, key=lambda e: -e.self_cpu_time_total)[:15]:
    print(f"  {e.key[:60]:60} {e.self_cpu_time_total / total:6.1%}  calls {e.count}")
