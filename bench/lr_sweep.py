"""Which batch size, learning rate and warmup reach a dev accuracy soonest on 2 CPU cores?

Trains the course's own path (`bert_tutorial.bench._project_curve`: the loader, optimizer, schedule and precision of
`train`) on the same rows as `bert-tutorial bench --time-to-accuracy`, once per setting, scoring the dev rows every
`--every` samples, and prints, per setting, the training seconds and samples to first reach `--target`, the best and
final dev accuracy, and samples/s. One seed per setting: read differences under ~0.014 (one standard error of an
accuracy near 0.74 on 1,000 dev rows) as noise.

    .venv/bin/python bench/lr_sweep.py [--data chinese_reviews] [--target 0.744] [--settings 32:5e-5:0.1 32:1e-4:0.1]
                                       [--precision fp32] [--batches random] [--pooling cls]
                                       [--dropout 0.1:0.1] [--attention sdpa]
"""
import argparse, json
from dataclasses import replace
import torch
from bert_tutorial.config import TrainConfig
from bert_tutorial.train import prepare
from bert_tutorial.model import pick_device, choose_precision
from bert_tutorial.bench import _project_curve

p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
p.add_argument("--data", default=None)
p.add_argument("--rows", type=int, default=4000)
p.add_argument("--dev-rows", type=int, default=1000)
p.add_argument("--every", type=int, default=256)
p.add_argument("--epochs", type=int, default=2)
p.add_argument("--target", type=float, default=0.744)
p.add_argument("--settings", nargs="+", default=["32:5e-5:0.1", "32:1e-4:0.1", "32:2e-4:0.1", "16:1e-4:0.1",
                                                   "16:5e-5:0.1", "64:2e-4:0.1"],
               help="batch:lr:warmup[:head_mult[:frozen]]: the pooler and head at head_mult × lr; frozen word embeddings")
p.add_argument("--json", default=None, help="write every curve here")
p.add_argument("--precision", default="auto", help="auto, bf16 or fp32 (the course path's autocast)")
p.add_argument("--batches", default="grouped", choices=("grouped", "random"),
               help="the course's length-grouped batches, or plain shuffled ones (as the Trainer's default)")
p.add_argument("--dropout", default=None, metavar="HIDDEN:ATTENTION",
               help="dropout probabilities instead of the course's default of 0 (0.1:0.1: the checkpoint's)")
p.add_argument("--attention", default=None, choices=("sdpa", "eager"),
               help="transformers' attention implementation (default: the course's, eager for training on a CPU)")
p.add_argument("--pooling", default=None, choices=("cls", "mean"),
               help="the classifier's input: [CLS] + pooler, or the mean of the tokens (default: as trained)")
a = p.parse_args()

base = replace(TrainConfig(), data=a.data, max_train_rows=a.rows, max_valid_rows=a.dev_rows, test_pct=0,
               precision=a.precision, pooling=a.pooling)
prep = prepare(base, model=False)
device = pick_device(base.device)
precision = choose_precision(device, base.precision)
print(f"{a.data or 'tweets'}: {len(prep.train_ds)} rows, {len(prep.valid_ds)} dev rows, {precision}, "
      f"{torch.get_num_threads()} threads, target {a.target}")
print(f"{'batch:lr:warmup:head:emb':>24}{'to target, s':>14}{'samples':>9}{'best':>8}{'after 1 ep':>11}"
      f"{'final':>8}{'samples/s':>11}")
import bert_tutorial.bench as B
from bert_tutorial.optim import make_scheduler, optimizer_steps, param_groups
plain_fresh, plain_opt = B.fresh_model, B.optimizer_and_schedule

def variant(head_mult:float, freeze:bool):
    "The course's model and optimizer, with the pooler and head at head_mult × lr, and the word embeddings frozen."
    def fresh(prep, cfg, random_init=False):
        model = plain_fresh(prep, cfg, random_init)
        if freeze: model.base_model.embeddings.word_embeddings.weight.requires_grad_(False)
        if a.attention: model.set_attn_implementation(a.attention)
        if a.dropout:
            hidden, attention = map(float, a.dropout.split(":"))
            for name, m in model.named_modules():
                if isinstance(m, torch.nn.Dropout): m.p = attention if name.endswith("attention.self.dropout") else hidden
        return model
    def opt_sched(model, cfg, n_batches):
        if head_mult == 1: return plain_opt(model, cfg, n_batches)
        head = {id(p) for n, p in model.named_parameters() if n.startswith("classifier") or ".pooler." in n}
        groups = param_groups(model, cfg.weight_decay)
        for g in groups: g["params"] = [p for p in g["params"] if id(p) not in head]
        groups.append({"params": [p for p in model.parameters() if id(p) in head], "weight_decay": cfg.weight_decay,
                       "lr": cfg.lr * head_mult})
        opt = torch.optim.AdamW(groups, lr=cfg.lr, eps=cfg.eps, fused=True)
        return opt, make_scheduler(opt, optimizer_steps(n_batches, cfg.grad_accum) * cfg.epochs, cfg.warmup)
    B.fresh_model, B.optimizer_and_schedule = fresh, opt_sched

if a.batches == "random":  # the same loop and collator, with plain shuffled batches instead of length-grouped ones
    from torch.utils.data import DataLoader
    from transformers import DataCollatorWithPadding
    from bert_tutorial.tokenize import random_batches
    class Batches(list):
        "A batch sampler that is a list of index batches, with the `.batches` the curve reads."
        batches = property(lambda self: list(self))
    B.train_loaders = lambda prep, cfg: lambda epoch, skip=0, stop=None: DataLoader(
        prep.train_ds, batch_sampler=Batches(random_batches(prep.train_ds.lengths(), cfg.batch_size, cfg.seed,
                                                            epoch)[skip:stop]),
        collate_fn=DataCollatorWithPadding(prep.tokenizer))
print(f"batches: {a.batches}; pooling: {a.pooling or 'as the model was trained'}; "
      f"dropout (hidden:attention): {a.dropout or 'the course default'}")

out = {}
for s in a.settings:
    bs, lr, wu, *more = s.split(":")
    variant(float(more[0]) if more else 1.0, len(more) > 1 and more[1] == "frozen")
    cfg = replace(base, batch_size=int(bs), lr=float(lr), warmup=float(wu))
    r = _project_curve(prep, cfg, a.epochs, a.every, device, precision)
    c = r["curve"]
    hit = next((pt for pt in c if pt["accuracy"] >= a.target), None)
    one = max((pt for pt in c if pt["epoch"] <= 1 + 1e-9), key=lambda pt: pt["samples"])["accuracy"]
    t = "—" if hit is None else f"{hit['seconds']:.1f}"
    n = "—" if hit is None else str(hit["samples"])
    print(f"{s:>24}{t:>14}{n:>9}{max(pt['accuracy'] for pt in c):8.3f}{one:11.3f}"
          f"{c[-1]['accuracy']:8.3f}{c[-1]['samples'] / c[-1]['seconds']:11.1f}", flush=True)
    out[s] = c
if a.json: json.dump(out, open(a.json, "w"))
