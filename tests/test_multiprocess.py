"Multi-process launches, for real: torchrun with two processes, two 'nodes' meeting on 127.0.0.1, and accelerate launch."
import json, socket, subprocess, sys
from pathlib import Path

import pytest

from conftest import BIN, ENV, run_cli

BIN_DIR = Path(sys.executable).parent
SLICE = ["--max-train-rows", "96", "--max-valid-rows", "33", "--epochs", "1", "--max-length", "32", "--no-progress"]

def free_port()->int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0)); return s.getsockname()[1]

def check_run(out:Path, driver:str, processes:int):
    "The run wrote the common checkpoint layout and metrics.json, and predict loads it."
    m = json.loads((out / "metrics.json").read_text())
    assert (m["driver"], m["processes"], m["n_train"], m["n_valid"]) == (driver, processes, 96, 33)
    assert sum(c["support"] for c in m["per_class"].values()) == 33  # every validation example counted once
    r = run_cli("predict", "--json", "--model", out, "I love it", "I hate it")
    assert r.returncode == 0, r.stderr
    assert [json.loads(l)["label"] in {"negative", "neutral", "positive"} for l in r.stdout.splitlines()] == [True, True]

def test_torchrun_two_processes(tmp_path):
    out = tmp_path / "ddp"
    r = subprocess.run([BIN_DIR / "torchrun", "--nproc_per_node", "2", "--master_port", str(free_port()), "--no-python", BIN,
                        "train", "--driver", "ddp", *SLICE, "--output", out], capture_output=True, text=True, env=ENV, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    assert r.stdout.count("accuracy  ") == 1  # one report, from rank 0
    check_run(out, "ddp", 2)

def test_two_nodes_on_localhost(tmp_path):
    "Two torchrun agents, one per 'node', rendezvous through c10d on 127.0.0.1."
    out, port = tmp_path / "ddp2", free_port()
    launch = lambda node: subprocess.Popen(
        [BIN_DIR / "torchrun", "--nnodes", "2", "--node_rank", str(node), "--nproc_per_node", "1", "--rdzv-backend", "c10d",
         "--rdzv-endpoint", f"127.0.0.1:{port}", "--rdzv-id", "test-two-nodes", "--no-python", BIN, "train", "--driver", "ddp", *SLICE, "--output", out],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
    nodes = [launch(0), launch(1)]
    results = [p.communicate(timeout=600) for p in nodes]
    assert [p.returncode for p in nodes] == [0, 0], "\n".join(e[-2000:] for _, e in results)
    check_run(out, "ddp", 2)

def test_accelerate_launch_two_processes(tmp_path):
    out = tmp_path / "accel"
    r = subprocess.run([BIN_DIR / "accelerate", "launch", "--multi_gpu", "--num_processes", "2", "--num_machines", "1", "--mixed_precision", "no",
                        "--dynamo_backend", "no", "--main_process_port", str(free_port()), "--no_python", BIN,
                        "train", "--driver", "accelerate", *SLICE, "--output", out], capture_output=True, text=True, env=ENV, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    check_run(out, "accelerate", 2)

def test_trainer_driver(tmp_path):
    out = tmp_path / "trainer"
    r = run_cli("train", "--driver", "trainer", *SLICE, "--output", out)
    assert r.returncode == 0, r.stderr[-3000:]
    check_run(out, "trainer", 1)
    assert not (out / "trainer_checkpoints").exists()

def test_ddp_outside_torchrun_says_how_to_launch(tmp_path):
    r = run_cli("train", "--driver", "ddp", "--output", tmp_path / "x")
    assert r.returncode == 2 and "torchrun --nproc_per_node 2 --no-python bert-tutorial train --driver ddp" in r.stderr
    assert not (tmp_path / "x").exists()
