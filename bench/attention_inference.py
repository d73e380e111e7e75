"""Prediction speed with transformers' two attention implementations, "sdpa" (fused) and "eager" (plain matmuls).

Loads the default model twice, once per implementation, and times batched prediction (bf16 autocast, batches of 64,
at most 128 tokens) on the first 512 tweets and 512 Chinese reviews, after one untimed batch. `03_model` uses the
result: the course trains with eager attention on a CPU and predicts with transformers' default (sdpa).

    .venv/bin/python bench/attention_inference.py
"""
import time, torch
from bert_tutorial.model import load_model
from bert_tutorial.tokenize import load_tokenizer
from bert_tutorial.data import load_chinese_reviews, load_tweets
tok = load_tokenizer(None)
for name, df in (("tweets", load_tweets()), ("chinese", load_chinese_reviews())):
    texts = list(df.text[:512])
    for impl in ("sdpa", "eager"):
        m = load_model(None, {0:"a",1:"b"}, attn_implementation=impl)[0].eval()
        with torch.inference_mode(), torch.autocast("cpu", torch.bfloat16):
            bs = [tok(texts[i:i+64], padding=True, truncation=True, max_length=128, return_tensors="pt") for i in range(0, 512, 64)]
            m(**bs[0]); t = time.perf_counter()
            for b in bs: m(**b)
            print(name, impl, f"{512/(time.perf_counter()-t):.1f} texts/s", flush=True)
