"""The settings of 00_seven_steps' script, measured: one run of the script's training with the given settings.

    python bench/first_notebook.py TWEETS EPOCHS LR POOLER SEED [BATCH]

POOLER is `none` (the checkpoint's untrained pooler) or `eye` (started as the identity). The split is the
notebook's (random_state 42, the first 500 validation tweets); SEED varies the head, the pooler and the batch order.
Prints one JSON line: the best validation accuracy, the training seconds and the labels of three sentences.
"""
import sys, time, json
import torch
from sklearn.model_selection import train_test_split
from torch.utils.data import DataLoader
from transformers import AutoModelForSequenceClassification, AutoTokenizer, DataCollatorWithPadding, get_linear_schedule_with_warmup
from bert_tutorial.data import load_tweets
from bert_tutorial.tokenize import default_model_path
n, EPOCHS, lr, pool, SEED = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), sys.argv[4], int(sys.argv[5])
bs = int(sys.argv[6]) if len(sys.argv) > 6 else 16
MODEL = default_model_path()
torch.manual_seed(SEED)
df = load_tweets()
train_df, valid_df = train_test_split(df, test_size=0.1, random_state=42, stratify=df.label)
train_df, valid_df = train_df[:n], valid_df[:500]
labels = sorted(df.label.unique()); label2id = {l: i for i, l in enumerate(labels)}
tokenizer = AutoTokenizer.from_pretrained(MODEL)
def encode(d):
    ids = tokenizer(list(d.text), truncation=True, max_length=128)["input_ids"]
    return [{"input_ids": i, "labels": label2id[l]} for i, l in zip(ids, d.label)]
collate = DataCollatorWithPadding(tokenizer)
train_loader = DataLoader(encode(train_df), batch_size=bs, shuffle=True, collate_fn=collate)
valid_loader = DataLoader(encode(valid_df), batch_size=64, collate_fn=collate)
model = AutoModelForSequenceClassification.from_pretrained(MODEL, num_labels=3, id2label=dict(enumerate(labels)), label2id=label2id,
    hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0, attn_implementation="eager")
if pool == "eye":
    torch.nn.init.eye_(model.bert.pooler.dense.weight)
optimizer = torch.optim.AdamW(model.parameters(), lr=lr)
steps = len(train_loader) * EPOCHS
scheduler = get_linear_schedule_with_warmup(optimizer, int(0.1 * steps), steps)
t0 = time.time(); best = 0
for epoch in range(EPOCHS):
    model.train()
    for batch in train_loader:
        loss = model(**batch).loss
        optimizer.zero_grad(); loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step(); scheduler.step()
    model.eval(); correct = 0
    with torch.no_grad():
        for batch in valid_loader:
            correct += (model(**batch).logits.argmax(-1) == batch["labels"]).sum().item()
    best = max(best, correct / len(valid_df))
tt = time.time() - t0
enc = tokenizer(["@united thank you, the crew was wonderful and we landed early!", "@united two hours on the tarmac and now my bag is lost.", "I can't wait to ride in a self-driving car!"], padding=True, return_tensors="pt")
with torch.no_grad():
    p = model(**enc).logits.softmax(-1)
demo = [(labels[i], round(float(r[i]), 2)) for r in p for i in [int(r.argmax())]]
print(json.dumps(dict(n=n, ep=EPOCHS, lr=lr, pool=pool, seed=SEED, bs=bs, acc=best, train_s=round(tt, 1), demo=demo)))
