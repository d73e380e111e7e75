"""Early stopping and class weights reach every driver (issue 14).

Early stopping: a learning rate so small (1e-12) that no weight changes in fp32 makes every epoch's accuracy tie the
first's; a tie is not an improvement, so `patience=1` must stop after epoch 2 of 4 and keep epoch 1, whose saved model,
scored again, gives the best row of the history. Class weights: the loop and single-process Accelerate run the same
batches, so with weights they must give the same losses, and different ones from the unweighted run."""
import json, subprocess, sys
from dataclasses import replace
from pathlib import Path

import pytest
from transformers import AutoModelForSequenceClassification

from conftest import BIN, ENV

from bert_tutorial.accel import run_accelerate
from bert_tutorial.evaluate import evaluate
from bert_tutorial.hf_trainer import run_trainer
from bert_tutorial.model import choose_precision, pick_device
from bert_tutorial.optim import TrainConfig
from bert_tutorial.run import best_row, run_training
from bert_tutorial.train import prepare

TINY = TrainConfig(max_train_rows=96, max_valid_rows=33, max_test_rows=20, max_length=32, batch_size=16)
FROZEN = replace(TINY, epochs=4, lr=1e-12, patience=1)
DRIVERS = {"loop": run_training, "accelerate": run_accelerate, "trainer": run_trainer}

def check_stopped(out:Path, m:dict):
    assert [r["epoch"] for r in m["history"]] == [1, 2] and m["best_epoch"] == 1 and m["stopped_early"]
    prep = prepare(FROZEN, model=False)
    best = AutoModelForSequenceClassification.from_pretrained(out / "best")
    again = evaluate(best, prep.valid_ds, prep.tokenizer, prep.id2label, pick_device(), choose_precision(pick_device()))
    assert again["accuracy"] == pytest.approx(best_row(m["history"], "accuracy")["accuracy"], abs=1e-9)
    assert json.loads((out / "metrics.json").read_text())["best_epoch"] == 1

@pytest.mark.parametrize("driver", DRIVERS)
def test_patience_stops_and_keeps_the_best(driver, tmp_path):
    m = DRIVERS[driver](replace(FROZEN, driver=driver), tmp_path / driver, progress=False)
    check_stopped(tmp_path / driver, m)

def test_patience_under_torchrun(tmp_path):
    out = tmp_path / "ddp"
    r = subprocess.run([Path(sys.executable).parent / "torchrun", "--standalone", "--nproc_per_node", "2", "--no-python",
                        BIN, "train", "--driver", "ddp", "--max-train-rows", "96", "--max-valid-rows", "33",
                        "--max-test-rows", "20", "--max-length", "32", "--batch-size", "16", "--epochs", "4",
                        "--lr", "1e-12", "--patience", "1", "--no-progress", "--output", out],
                       capture_output=True, text=True, env=ENV, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    assert "stopped early" in r.stdout
    check_stopped(out, json.loads((out / "metrics.json").read_text()))

def test_class_weights_reach_the_loop_and_accelerate(tmp_path):
    loss = lambda m: [round(r["train_loss"], 6) for r in m["history"]]
    plain = run_training(replace(TINY, epochs=1), tmp_path / "plain", progress=False)
    loop = run_training(replace(TINY, epochs=1, class_weights="balanced"), tmp_path / "loop", progress=False)
    accel = run_accelerate(replace(TINY, epochs=1, class_weights="balanced", driver="accelerate"), tmp_path / "accel",
                           progress=False)
    assert loss(loop) == loss(accel) != loss(plain)
    assert json.loads((tmp_path / "loop" / "best" / "training_config.json").read_text())["class_weights"] == "balanced"

def test_class_weights_reach_the_trainer(tmp_path):
    plain = run_trainer(replace(TINY, epochs=1, driver="trainer"), tmp_path / "plain", progress=False)
    weighted = run_trainer(replace(TINY, epochs=1, driver="trainer", class_weights="balanced"), tmp_path / "w",
                           progress=False)
    assert plain["history"][0]["train_loss"] != pytest.approx(weighted["history"][0]["train_loss"], rel=1e-4)
