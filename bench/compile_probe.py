"""Probe for bench/RESULTS.md: the default path's training step eager and under torch.compile(dynamic=True),
on the same 640 length-grouped samples after 8 warm-up batches. Usage: .venv/bin/python bench/compile_probe.py [data]"""
import sys, time, torch, numpy as np
from bert_tutorial.bench import time_training
from bert_tutorial.train import TrainConfig, prepare, autocast_dtype
from bert_tutorial.model import load_model
from bert_tutorial.optim import make_optimizer
from bert_tutorial.tokenize import make_loader
from bert_tutorial.bench import _take
data = sys.argv[1] if len(sys.argv) > 1 else None
cfg = TrainConfig(data=data, max_valid_rows=100)
prep = prepare(cfg, model=False)
dev = torch.device("cpu"); amp = autocast_dtype(dev)
ids = np.random.default_rng(0).permutation(len(prep.train_ds))[:1200]
train = prep.train_ds.select(ids)
batches = make_loader(train, prep.tokenizer, 32, seed=0).batch_sampler
for mode in ["eager", "compile"]:
    torch.manual_seed(0)
    m = load_model(None, prep.id2label)[0]
    if mode == "compile":
        m = torch.compile(m, dynamic=True)
    opt = make_optimizer(m)
    t = time.perf_counter()
    r = time_training(m, train, prep.tokenizer, batches[:8] + _take(batches[8:], 640), opt, dev, amp, warmup=8)
    print(mode, "wall incl warmup %.1f" % (time.perf_counter() - t), {k: round(v, 3) if isinstance(v, float) else v for k, v in r.items()}, flush=True)
