"""Multi-process launches, for real. `torchrun` and `accelerate launch` with two processes, and the Trainer, run once per
suite, in 14_compare.ipynb (which checks their folders the same way); here: two torchrun 'nodes' meeting on 127.0.0.1."""
import json, socket, subprocess, sys
from pathlib import Path


from conftest import BIN, ENV, run_cli, small_model
from test_early_stopping import check_stopped

BIN_DIR = Path(sys.executable).parent
SLICE = ["--model", small_model(), "--max-train-rows", "96", "--max-valid-rows", "33", "--max-test-rows", "20",
         "--max-length", "32", "--no-progress"]  # the default model's first 2 layers (conftest): mechanics, not learning

def free_port()->int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0)); return s.getsockname()[1]

def check_run(out:Path, driver:str, processes:int):
    "The run wrote the common checkpoint layout and metrics.json; predict and transformers.pipeline load it alike."
    from transformers import pipeline
    m = json.loads((out / "metrics.json").read_text())
    assert (m["driver"], m["processes"], m["n_train"], m["n_valid"], m["n_test"]) == (driver, processes, 96, 33, 20)
    assert sum(c["support"] for c in m["per_class"].values()) == 33  # every validation example counted once
    assert sum(c["support"] for c in m["test_per_class"].values()) == 20 and 0 <= m["test"]["accuracy"] <= 1
    texts = ["I love it", "I hate it", "self-driving cars " * 40]  # the last one longer than the 32 training tokens
    r = run_cli("predict", "--json", "--precision", "fp32", "--model", out, *texts)
    assert r.returncode == 0, r.stderr
    labels = [json.loads(l)["label"] for l in r.stdout.splitlines()]
    assert set(labels) <= {"negative", "neutral", "positive"} and len(labels) == 3
    pipe = pipeline("text-classification", model=str(out / "best"), device="cpu")
    assert [p["label"] for p in pipe(texts, truncation=True)] == labels
    from bert_tutorial.predict import pipeline_elsewhere
    assert pipeline_elsewhere(out / "best", texts)["labels"] == labels  # a process that cannot import this package

def test_two_nodes_on_localhost(tmp_path):
    """Two torchrun agents, one per 'node', rendezvous through c10d on 127.0.0.1; with layer-wise rates (the optimizer is
    built on the bare model), accumulation (no_sync on all but the last batch of a step), and early stopping with an
    evaluation every step (one run for all of these: DDP runs are slow to start). The frozen learning rate of
    test_early_stopping makes every evaluation tie the first: 48 rows per rank in batches of 16, two batches a step,
    so 2 steps an epoch, evaluations at steps 1, 2 and 3, and a patience of 2 stops at step 3 keeping step 1."""
    out, port = tmp_path / "ddp2", free_port()
    frozen = ["--epochs", "3", "--lr", "1e-12", "--eval-every", "1", "--patience", "2"]
    launch = lambda node: subprocess.Popen(
        [BIN_DIR / "torchrun", "--nnodes", "2", "--node_rank", str(node), "--nproc_per_node", "1", "--rdzv-backend", "c10d",
         "--rdzv-endpoint", f"127.0.0.1:{port}", "--rdzv-id", "test-two-nodes", "--no-python", BIN, "train", "--driver", "ddp",
         *SLICE, "--layer-decay", "0.9", "--grad-accum", "2", *frozen, "--output", out],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
    nodes = [launch(0), launch(1)]
    results = [p.communicate(timeout=600) for p in nodes]
    assert [p.returncode for p in nodes] == [0, 0], "\n".join(e[-2000:] for _, e in results)
    assert sum(o.count("validation  accuracy") for o, _ in results) == 1  # one report, from rank 0
    assert sum(o.count("stopped early") for o, _ in results) == 1
    check_run(out, "ddp", 2)
    cfg = json.loads((out / "best" / "training_config.json").read_text())
    assert (cfg["layer_decay"], cfg["grad_accum"], cfg["eval_every"], cfg["patience"]) == (0.9, 2, 1, 2)
    check_stopped(out, json.loads((out / "metrics.json").read_text()), ((0.5, 1), (1, 2), (1.5, 3)), best_epoch=0.5)

def test_ddp_outside_torchrun_says_how_to_launch(tmp_path):
    r = run_cli("train", "--driver", "ddp", "--output", tmp_path / "x")
    assert r.returncode == 2 and "runs in processes started by torchrun" in r.stderr
    assert not (tmp_path / "x").exists()
