"""Finding mislabelled tweets at full size: planted mistakes found, the real flags against annotator agreement,
and test accuracy with and without the suspects.

1. Planted: 5% of the unanimous tweets (every annotator agreed) get another label at random; the precision and
   recall of cleanlab's flags from 5-fold out-of-fold probabilities, TF-IDF on all of them (3 flip seeds), and the
   fine-tuned model and TF-IDF on a slice of `--finetune-rows` (one seed: `--epochs`, max length 64).
2. Real: every tweet with a known annotator confidence; the flagged tweets' agreement against the rest.
3. Training without the suspects (TF-IDF, `--seeds` seeded splits): the real tweets scored on their own test
   labels, and the planted case scored on the labels before the flip.

    .venv/bin/python bench/mislabels.py [--finetune-rows 3000] [--epochs 2] [--seeds 5]
"""
import argparse, time

import pandas as pd

from bert_tutorial.data import load_tweets, split_data
from bert_tutorial.evaluate import tfidf_classifier
from bert_tutorial.mislabels import (drop_label_issues, finetuned_scorer, flip_labels, label_issues,
                                     out_of_fold_probabilities, tfidf_scorer)

p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
p.add_argument("--finetune-rows", type=int, default=3000)
p.add_argument("--epochs", type=int, default=2)
p.add_argument("--seeds", type=int, default=5)
a = p.parse_args()
known = load_tweets(min_confidence=0, keep_confidence=True).dropna(subset=["confidence"]).reset_index(drop=True)
clean = known[known.confidence == 1].reset_index(drop=True)
print(f"{len(known)} tweets with a known annotator confidence, {len(clean)} of them unanimous\n")

def planted(df, scorer, seed):
    noisy, flipped = flip_labels(df.label, 0.05, seed)
    t = time.perf_counter()
    found = label_issues(df.text, noisy, out_of_fold_probabilities(df.text, noisy, scorer, 5, seed, progress=True))
    hits = len(set(found.index) & set(flipped))
    return {"flagged": len(found), "planted": len(flipped), "precision": hits / max(len(found), 1),
            "recall": hits / len(flipped), "seconds": time.perf_counter() - t}

print("| planted 5% | rows | flip seeds | flagged | precision | recall | seconds |\n|---|---|---|---|---|---|---|")
def row(name, df, scorer, seeds):
    r = pd.DataFrame([planted(df, scorer, s) for s in seeds])
    sd = (lambda c: f" ± {r[c].std():.3f}") if len(r) > 1 else (lambda c: "")
    print(f"| {name} | {len(df)} | {len(r)} | {r.flagged.mean():.0f} | {r.precision.mean():.3f}{sd('precision')} "
          f"| {r.recall.mean():.3f}{sd('recall')} | {r.seconds.mean():.0f} |", flush=True)
row("TF-IDF, all unanimous tweets", clean, tfidf_scorer, (0, 1, 2))
part = clean.sample(a.finetune_rows, random_state=0).reset_index(drop=True)
row("TF-IDF, the slice", part, tfidf_scorer, (0,))
row(f"fine-tuned ({a.epochs} epochs), the slice", part,
    finetuned_scorer(epochs=a.epochs, max_length=64), (0,))

flags = label_issues(known.text, known.label, out_of_fold_probabilities(known.text, known.label))
is_flagged = known.index.isin(flags.index)
print("\n| real tweets | tweets | mean annotator confidence | unanimous | under half agreed |\n|---|---|---|---|---|")
for name, rows in {"flagged": is_flagged, "not flagged": ~is_flagged}.items():
    c = known.confidence[rows]
    print(f"| {name} | {rows.sum()} | {c.mean():.3f} | {(c == 1).mean():.3f} | {(c < 0.5).mean():.3f} |")

print("\n| TF-IDF test accuracy | splits | dropped | all | without suspects | difference (mean ± std) |"
      "\n|---|---|---|---|---|---|")
def compare(name, df, flip):
    rows = []
    for seed in range(a.seeds):
        train, _, test = split_data(df, seed=seed)
        if flip: train = train.assign(label=flip_labels(train.label, 0.05, seed)[0])
        kept, suspects = drop_label_issues(train, seed=seed)
        acc = lambda part: (tfidf_classifier(part.text, part.label).predict(list(test.text)) == test.label).mean()
        rows.append({"dropped": len(suspects), "all": acc(train), "without": acc(kept)})
    r = pd.DataFrame(rows); d = r.without - r["all"]
    print(f"| {name} | {len(r)} | {r.dropped.mean():.0f} | {r['all'].mean():.4f} | {r.without.mean():.4f} "
          f"| {d.mean():+.4f} ± {d.std():.4f} |", flush=True)
compare("real tweets, their own test labels", known[["text", "label"]], flip=False)
compare("unanimous tweets, 5% of training flipped, test labels unflipped", clean[["text", "label"]], flip=True)
