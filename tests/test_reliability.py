"Nothing lost, same numbers twice: kill -9 and SIGTERM mid-run then --resume (each ending exactly like a fresh run with the same seed), a failing save, faults in multi-process runs."
import json, os, signal, socket, subprocess, sys, time
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file

from conftest import BIN, ENV, run_cli

BIN_DIR = Path(sys.executable).parent
ARGS = ["--max-train-rows", "192", "--max-valid-rows", "64", "--max-test-rows", "64", "--epochs", "2", "--batch-size", "16",
        "--max-length", "48", "--save-every", "4", "--no-progress"]

def weights(run): return load_file(str(run / "best" / "model.safetensors"))

def same_run(a:Path, b:Path):
    "Identical metrics (but for timings) and identical weights."
    ma, mb = (json.loads((f / "metrics.json").read_text()) for f in (a, b))
    for k in ("accuracy", "macro_f1", "valid_loss", "best_epoch"): assert ma[k] == mb[k], (k, ma[k], mb[k])
    assert [r["valid_loss"] for r in ma["history"]] == [r["valid_loss"] for r in mb["history"]]
    wa, wb = weights(a), weights(b)
    assert wa.keys() == wb.keys() and all(torch.equal(wa[k], wb[k]) for k in wa)

@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    out = tmp_path_factory.mktemp("ref") / "run"
    r = run_cli("train", *ARGS, "--output", out, real=True)  # a fresh process: the determinism check compares processes
    assert r.returncode == 0, r.stderr
    return out

def state_version(out:Path):
    "Which resumable state `out` holds (a new file each save: it is written aside and renamed), or None."
    try: st = os.stat(out / "training_state.pt")
    except FileNotFoundError: return None
    return st.st_ino, st.st_mtime_ns

def start_and_wait_for_state(out:Path, args=None, newer_than=None)->subprocess.Popen:
    "Start a run in the background and wait until it has saved a resumable state (another than `newer_than`)."
    args = [*ARGS, "--output", out] if args is None else args
    p = subprocess.Popen([str(BIN), "train", *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
    deadline = time.time() + 300
    while (v := state_version(out)) is None or v == newer_than:
        assert p.poll() is None, p.communicate()[1]
        assert time.time() < deadline, "no state saved in time"
        time.sleep(0.2)
    return p

def test_sigterm_then_kill_9_then_resume_ends_like_an_uninterrupted_run(reference, tmp_path):
    """One run stopped twice: SIGTERM (the state saved, the resume command printed, exit 143), then, resumed, killed
    with kill -9 once it has saved a later state; resumed again, it ends exactly like the reference. Also the
    determinism check: fresh processes with one seed (these and the reference's) end identical."""
    out = tmp_path / "stopped"
    p = start_and_wait_for_state(out)
    p.send_signal(signal.SIGTERM)
    _, err = p.communicate(timeout=120)
    assert p.returncode == 143, err
    assert "Interrupted by SIGTERM" in err and f"bert-tutorial train --output {out} --resume" in err and "Traceback" not in err
    p = start_and_wait_for_state(out, ["--output", out, "--resume", "--no-progress"], newer_than=state_version(out))
    p.kill(); p.wait()
    assert not (out / "metrics.json").exists()
    r = run_cli("train", "--output", out, "--resume", "--no-progress", real=True)
    assert r.returncode == 0, r.stderr
    same_run(reference, out)
    assert not (out / "training_state.pt").exists()

def test_failed_save_keeps_the_previous_best(reference, tmp_path):
    "A writer that fails half-way (a full disk): one sentence, the partial copy gone, the last complete checkpoint loadable."
    import shutil
    from transformers import AutoModelForSequenceClassification, AutoTokenizer
    from bert_tutorial.checkpoint import SaveError, save_checkpoint
    folder = tmp_path / "ckpt"; shutil.copytree(reference / "best", folder)
    before = load_file(str(folder / "model.safetensors"))
    model = AutoModelForSequenceClassification.from_pretrained(folder)
    with torch.no_grad(): model.classifier.weight.add_(1.0)
    class FullDisk(type(AutoTokenizer.from_pretrained(folder))):
        def save_pretrained(self, *a, **k): raise OSError(28, "No space left on device")
    with pytest.raises(SaveError, match=r"\(No space left on device\); the partial copy was removed and the previous one is intact"):
        save_checkpoint(folder, model, FullDisk.from_pretrained(folder), {"accuracy": 1.0})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ckpt"], "best.tmp must be removed"
    after = load_file(str(folder / "model.safetensors"))
    assert all(torch.equal(before[k], after[k]) for k in before)
    assert json.loads((folder / "metrics.json").read_text()) == json.loads((reference / "best" / "metrics.json").read_text())
    AutoModelForSequenceClassification.from_pretrained(folder)

def test_failed_state_save_removes_its_partial_file(reference, tmp_path, monkeypatch):
    from transformers import AutoModelForSequenceClassification
    from bert_tutorial import checkpoint
    model = AutoModelForSequenceClassification.from_pretrained(reference / "best")
    opt = torch.optim.AdamW(model.parameters()); sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: 1.0)
    def full_disk(obj, path): Path(path).write_bytes(b"half"); raise RuntimeError("PytorchStreamWriter failed writing file")
    monkeypatch.setattr(checkpoint.torch, "save", full_disk)
    with pytest.raises(checkpoint.SaveError, match="failed writing file.*nothing was saved"):
        checkpoint.save_state(tmp_path / "training_state.pt", model, opt, sched, {"epoch": 0, "step": 1})
    assert list(tmp_path.iterdir()) == []

def _copy_best(reference, dest, drop=()):
    import shutil
    shutil.copytree(reference / "best", dest)
    for name in drop: (dest / name).unlink()
    return dest

def _refused(argv, capsys)->str:
    from bert_tutorial.cli import main
    assert main([str(a) for a in argv]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("bert-tutorial: error: ") and "Traceback" not in "\n".join(err), err
    return err[-1]

def test_corrupt_or_incomplete_model_folders_are_refused(reference, tmp_path, capsys):
    cut = _copy_best(reference, tmp_path / "cut")
    w = cut / "model.safetensors"; w.write_bytes(w.read_bytes()[: w.stat().st_size // 2])
    assert "model.safetensors is cut short" in _refused(["predict", "--model", cut, "a text"], capsys)
    assert "model.safetensors is cut short" in _refused(["train", "--model", cut, "--output", tmp_path / "o"], capsys)
    notok = _copy_best(reference, tmp_path / "notok", [f.name for f in (reference / "best").iterdir() if f.name.startswith(("tokenizer", "vocab", "special"))])
    assert "it has no tokenizer files" in _refused(["predict", "--model", notok, "a text"], capsys)
    export = _copy_best(reference, tmp_path / "export", ["model.safetensors"])  # an export folder without its model.onnx
    assert "it has no weights (no model.safetensors, nor model.onnx" in _refused(["predict", "--model", export, "a text"], capsys)
    (export / "model.onnx").write_bytes(b"not onnx at all")
    assert "cannot be read by onnxruntime" in _refused(["predict", "--model", export, "a text"], capsys)
    assert not (tmp_path / "o").exists()

def test_a_state_file_cut_short_is_refused(tmp_path, capsys):
    out = tmp_path / "run"; out.mkdir(); (out / "training_state.pt").write_bytes(b"PK\x03\x04 cut short")
    assert "training_state.pt' is incomplete or corrupt" in _refused(["train", "--output", out, "--resume"], capsys)

def test_resume_from_another_folder_and_onto_changed_data(tmp_path, capsys, monkeypatch):
    """The state keeps the data's absolute path (a resume from elsewhere finds it) and its hash (a changed file is
    refused, and so is a state without them, which cannot tell)."""
    (tmp_path / "a").mkdir(); (tmp_path / "b").mkdir()
    data = tmp_path / "a" / "data.csv"
    data.write_text("label,text\n" + "".join(f"{i % 2},{'good' if i % 2 else 'bad'} text number {i}\n" for i in range(80)))
    small = ["--max-length", "16", "--batch-size", "8", "--no-progress"]  # --max-steps saves the state it stops at
    monkeypatch.chdir(tmp_path / "a")
    stop = run_cli("train", "--data", "data.csv", "--output", "../run", "--max-steps", "1", *small)
    assert stop.returncode == 0 and "Stopped after 1 steps" in stop.stderr, stop.stderr
    with data.open("a") as f: f.write("2,a new label\n2,and another\n2,and a third\n")
    assert "changed since the run stopped" in _refused(["train", "--output", tmp_path / "run", "--resume"], capsys)
    data.write_text(data.read_text().rsplit("2,a new label", 1)[0])  # put it back as it was
    state = tmp_path / "run" / "training_state.pt"
    kept = state.read_bytes()
    old = torch.load(state, weights_only=True); del old["data"]; torch.save(old, state)  # as saved before fingerprints
    assert "saved without a record of the data it trained on" in _refused(
        ["train", "--output", tmp_path / "run", "--resume"], capsys)
    state.write_bytes(kept)
    monkeypatch.chdir(tmp_path / "b")
    r = run_cli("train", "--output", "../run", "--resume", "--no-progress")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "run" / "metrics.json").exists() and not (tmp_path / "run" / "run.lock").exists()

def test_a_second_run_into_the_same_folder_is_refused(tmp_path, capsys):
    from bert_tutorial.checkpoint import OutputLock
    out = tmp_path / "run"; out.mkdir()
    lock = OutputLock(out); lock.acquire()  # what a running training holds
    msg = _refused(["train", "--output", out, "--overwrite"], capsys)
    assert f"Another training (process {os.getpid()}) is writing to '{out}'" in msg
    lock.release()
    assert list(out.iterdir()) == []

def test_a_second_ctrl_c_waits_for_the_save(monkeypatch, capsys):
    from bert_tutorial import cli
    from bert_tutorial.run import graceful_stop, uninterrupted
    saved = []
    with graceful_stop() as requested:
        os.kill(os.getpid(), signal.SIGINT)  # the first: stop after this step
        assert requested == {"signal": "SIGINT"}
        with pytest.raises(KeyboardInterrupt):
            with uninterrupted():
                os.kill(os.getpid(), signal.SIGINT)  # the second, during the save: held back
                saved.append("complete")  # ... so the save completes
    assert saved == ["complete"]
    def interrupted(a): raise KeyboardInterrupt
    monkeypatch.setattr(cli, "cmd_train", interrupted)
    assert cli.main(["train", "--output", "x"]) == 130
    assert "stopped at once by a second Ctrl-C; every file saved before it is complete" in capsys.readouterr().err

def _read_only_folder():
    for line in Path("/proc/mounts").read_text().splitlines():
        target, opts = line.split()[1], line.split()[3]
        if opts.split(",")[0] == "ro" and Path(target).is_dir() and not os.access(target, os.W_OK): return Path(target)

@pytest.mark.skipif(_read_only_folder() is None, reason="no read-only file system mounted on this machine")
def test_an_output_on_a_read_only_file_system(capsys):
    out = _read_only_folder() / "run"
    assert "cannot be written (a read-only file system at" in _refused(["train", "--output", out], capsys)

def test_an_output_folder_without_write_permission(tmp_path, capsys, monkeypatch):
    access = os.access  # what a folder of another user makes it say (simulated: root may write anywhere)
    monkeypatch.setattr(os, "access", lambda p, mode, **k: not (Path(p) == tmp_path and mode & os.W_OK)
                        and access(p, mode, **k))
    msg = _refused(["train", "--output", tmp_path / "run"], capsys)
    assert f"cannot be written (permission denied at {str(tmp_path)!r}); choose a folder you can write to." in msg
    assert list(tmp_path.iterdir()) == []

def test_label_count_disagrees_with_checkpoint(reference, tmp_path):
    data = tmp_path / "two.csv"
    data.write_text("label,text\n" + "\n".join(f"{i % 2},text {i}" for i in range(20)) + "\n")
    r = run_cli("train", "--data", data, "--model", reference / "best", "--output", tmp_path / "out")
    assert r.returncode == 2 and "was fine-tuned for 3 labels (negative, neutral, positive) but the data has 2 (0, 1)" in r.stderr
    assert not (tmp_path / "out").exists()

def free_port()->int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0)); return s.getsockname()[1]

def children(pid:int)->list:
    return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]

def test_a_dead_rank_ends_the_whole_run(tmp_path):
    "kill -9 one of two DDP workers: torchrun stops the other and exits non-zero, in bounded time."
    p = subprocess.Popen([BIN_DIR / "torchrun", "--nproc_per_node", "2", "--master_port", str(free_port()), "--no-python", BIN, "train", "--driver", "ddp",
                          "--max-train-rows", "3000", "--epochs", "1", "--no-progress", "--output", tmp_path / "ddp"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
    deadline = time.time() + 300
    while not (tmp_path / "ddp").exists():  # rank 0 creates it once both ranks have loaded everything
        assert p.poll() is None, p.communicate()[1][-3000:]
        assert time.time() < deadline, "the run did not start in time"
        time.sleep(0.2)
    os.kill(children(p.pid)[1], signal.SIGKILL)
    start = time.time()
    _, err = p.communicate(timeout=180)
    assert p.returncode != 0 and time.time() - start < 120
    assert "FAILED" in err and "SIGKILL" in err
    assert not (tmp_path / "ddp" / "metrics.json").exists()

def test_rendezvous_port_in_use(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0)); busy.listen(1)
        r = subprocess.run([BIN_DIR / "torchrun", "--nproc_per_node", "2", "--master_addr", "127.0.0.1", "--master_port", str(busy.getsockname()[1]),
                            "--no-python", BIN, "train", "--driver", "ddp", "--output", tmp_path / "ddp"], capture_output=True, text=True, env=ENV, timeout=180)
    assert r.returncode != 0 and "address already in use" in r.stderr.lower()
    assert not (tmp_path / "ddp").exists()
