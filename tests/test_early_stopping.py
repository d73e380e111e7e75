"""Early stopping, evaluation every N steps and class weights reach every driver (issue 14).

Early stopping: a learning rate so small (1e-12) that no weight changes in fp32 makes every evaluation's accuracy tie
the first's; a tie is not an improvement, so `patience=1` must stop after epoch 2 of 4 and keep epoch 1, whose saved
model, scored again, gives the best row of the history. With `eval_every=4` (6 steps per epoch: evaluations at steps
4, 6, 8, 12) and `patience=2`, every driver must stop at step 8, a third into epoch 2, keeping step 4's model. A run
stopped between two evaluations, or right before one, must resume to the numbers and weights of an uninterrupted run.
DDP: in test_multiprocess.py's two-node run, which serves several checks.
Class weights: the loop and single-process Accelerate run the same batches with the same dropout masks, so with
weights they must give the same losses at every evaluation, and different ones from the unweighted run."""
import json

import torch
from dataclasses import replace
from pathlib import Path

import pytest
from transformers import AutoModelForSequenceClassification


from bert_tutorial.accel import run_accelerate
from bert_tutorial.evaluate import evaluate
from bert_tutorial.hf_trainer import run_trainer
from bert_tutorial.model import choose_precision, pick_device
from bert_tutorial.config import TrainConfig
from bert_tutorial.run import best_row, run_training
from bert_tutorial.train import prepare
from conftest import small_model

# the mechanics need a model that trains, not one that learns well: the default model's first 2 layers (conftest)
TINY = TrainConfig(model=small_model(), max_train_rows=96, max_valid_rows=33, max_test_rows=20, max_length=32,
                   batch_size=16)
FROZEN = replace(TINY, epochs=4, lr=1e-12, patience=1)
STEPS = replace(TINY, epochs=2, lr=1e-12, patience=2, eval_every=4)  # 96 rows in batches of 16: 6 steps per epoch
DRIVERS = {"loop": run_training, "accelerate": run_accelerate, "trainer": run_trainer}

def check_stopped(out:Path, m:dict, when=((1, None), (2, None)), best_epoch=1):
    assert [(r["epoch"], r.get("step") if when[0][1] else None) for r in m["history"]] == list(when)
    assert m["best_epoch"] == best_epoch and m["stopped_early"]
    prep = prepare(FROZEN, model=False)
    best = AutoModelForSequenceClassification.from_pretrained(out / "best")
    again = evaluate(best, prep.valid_ds, prep.tokenizer, prep.id2label, pick_device(), choose_precision(pick_device()))
    assert again["accuracy"] == pytest.approx(best_row(m["history"], "accuracy")["accuracy"], abs=1e-9)
    assert json.loads((out / "metrics.json").read_text())["best_epoch"] == best_epoch

@pytest.mark.parametrize("driver", ["accelerate", "trainer"])  # the loop's: in 09_run.ipynb
def test_patience_stops_and_keeps_the_best(driver, tmp_path):
    m = DRIVERS[driver](replace(FROZEN, driver=driver), tmp_path / driver, progress=False)
    check_stopped(tmp_path / driver, m)

@pytest.mark.parametrize("driver", DRIVERS)
def test_eval_every_stops_within_an_epoch(driver, tmp_path):
    m = DRIVERS[driver](replace(STEPS, driver=driver), tmp_path / driver, progress=False)
    check_stopped(tmp_path / driver, m, ((0.67, 4), (1, 6), (1.33, 8)), best_epoch=0.67)
    assert m["best_step"] == 4

EVERY_4 = replace(TINY, epochs=2, eval_every=4)

@pytest.fixture(scope="module")
def whole(tmp_path_factory):
    "An uninterrupted run evaluated every 4 steps: its folder and metrics."
    out = tmp_path_factory.mktemp("whole")
    return out, run_training(EVERY_4, out, progress=False)

@pytest.mark.parametrize("stop_at", [5, 4])  # between two evaluations; right before one (evaluated on resuming)
def test_eval_every_resumes_like_an_uninterrupted_run(stop_at, whole, tmp_path):
    cfg, (whole_out, whole) = EVERY_4, whole
    stopped = run_training(cfg, tmp_path / "run", max_steps=stop_at, progress=False)
    assert stopped["stopped"] and stopped["step"] == stop_at
    resumed = run_training(cfg, tmp_path / "run", resume=True, progress=False)
    when = lambda m: [(r["epoch"], r["step"], r["valid_loss"], r["accuracy"]) for r in m["history"]]
    assert when(resumed) == when(whole) and [r["step"] for r in whole["history"]] == [4, 6, 8, 12]
    weights = lambda out: AutoModelForSequenceClassification.from_pretrained(out / "best").classifier.weight
    assert torch.equal(weights(tmp_path / "run"), weights(whole_out))

def test_class_weights_reach_the_loop_and_accelerate(tmp_path):
    # the same batches and dropout masks: the same training losses; the validation loss only to float noise
    # (the two engines score the validation split in batches of different sizes)
    loss = lambda m: [(r["step"], round(r["train_loss"], 6)) for r in m["history"]]
    valid = lambda m: [r["valid_loss"] for r in m["history"]]
    two = replace(TINY, epochs=2, eval_every=4)  # and both evaluate at the same steps, with the same dropout masks
    plain = run_training(two, tmp_path / "plain", progress=False)
    loop = run_training(replace(two, class_weights="balanced"), tmp_path / "loop", progress=False)
    accel = run_accelerate(replace(two, class_weights="balanced", driver="accelerate"), tmp_path / "accel",
                           progress=False)
    assert loss(loop) == loss(accel) != loss(plain) and len(loss(loop)) == 4
    assert valid(loop) == pytest.approx(valid(accel), abs=1e-5)
    assert json.loads((tmp_path / "loop" / "best" / "training_config.json").read_text())["class_weights"] == "balanced"

def test_class_weights_reach_the_trainer(tmp_path):
    plain = run_trainer(replace(TINY, epochs=1, driver="trainer"), tmp_path / "plain", progress=False)
    weighted = run_trainer(replace(TINY, epochs=1, driver="trainer", class_weights="balanced"), tmp_path / "w",
                           progress=False)
    assert plain["history"][0]["train_loss"] != pytest.approx(weighted["history"][0]["train_loss"], rel=1e-4)
