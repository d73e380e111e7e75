"""bf16 autocast against float32 on this CPU: one training step (forward, backward, fused AdamW) of 16 texts, and one
forward pass of 128, for the default model at 32 and 64 tokens, on one thread (as each notebook kernel of the test
command runs). Prints the seconds of each and the ratio; 5 timed steps after 2 untimed ones.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/precision_step.py
"""
import time

import torch
from transformers import AutoModelForSequenceClassification

from bert_tutorial.model import quiet_loading
from bert_tutorial.tokenize import default_model_path

torch.set_num_threads(1)
torch.manual_seed(0)
with quiet_loading():
    model = AutoModelForSequenceClassification.from_pretrained(
        default_model_path(), num_labels=3, attn_implementation="eager", hidden_dropout_prob=0.0,
        attention_probs_dropout_prob=0.0)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4, fused=True)

def seconds(fn, untimed=2, timed=5)->float:
    for _ in range(untimed): fn()
    start = time.perf_counter()
    for _ in range(timed): fn()
    return (time.perf_counter() - start) / timed

for length in (32, 64):
    x, y = torch.randint(1000, 5000, (16, length)), torch.randint(0, 3, (16,))
    xe = torch.randint(1000, 5000, (128, length))
    row = {}
    for precision in ("fp32", "bf16"):
        autocast = lambda: torch.autocast("cpu", dtype=torch.bfloat16, enabled=precision == "bf16")
        def step():
            with autocast(): loss = model(input_ids=x, labels=y).loss
            optimizer.zero_grad(); loss.backward(); optimizer.step()
        def forward():
            with torch.no_grad(), autocast(): model(input_ids=xe)
        row[precision] = (seconds(step), seconds(forward, 1, 3))
    (t32, f32), (t16, f16) = row["fp32"], row["bf16"]
    print(f"{length} tokens: training step of 16 {t32:.3f} s fp32, {t16:.3f} s bf16 ({t32 / t16:.2f}x); "
          f"forward of 128 {f32:.3f} s fp32, {f16:.3f} s bf16 ({f32 / f16:.2f}x)")
