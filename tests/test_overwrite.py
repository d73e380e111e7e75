"""`--overwrite` replaces only what a run (or an export) of this package wrote: a user's files survive every case.

Each case builds the folder a careless user would point `--output` at, runs the real command's `main([...])`, and
checks the one-sentence refusal, the exit status 2 and that every file is still there, byte for byte."""
import json, os
from pathlib import Path

import pytest

from bert_tutorial.checkpoint import foreign_entries
from bert_tutorial.cli import main
from bert_tutorial.run import start_output

DATA = "label,text\n" + "".join(f"{i % 2},text number {i}\n" for i in range(40))

def snapshot(folder:Path)->dict:
    "Every file under `folder` (links not followed) with its bytes."
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}

def fake_run(folder:Path)->Path:
    "A folder shaped like a finished run of this package (what `foreign_entries` recognises), no weights needed."
    (folder / "best").mkdir(parents=True)
    for name in ("config.json", "tokenizer_config.json", "training_config.json"):
        (folder / "best" / name).write_text(json.dumps({"model_type": "bert"}))
    (folder / "best" / "vocab.txt").write_text("[PAD]\n[UNK]\n")
    (folder / "best" / "model.safetensors").write_bytes((2).to_bytes(8, "little") + b"{}")  # whole, if empty
    (folder / "metrics.json").write_text("{}")
    return folder

def refused(argv, capsys)->str:
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("bert-tutorial: error: ") and "Traceback" not in "\n".join(err), err
    return err[-1]

@pytest.mark.parametrize("overwrite", [True, False])
def test_current_folder_with_the_data_and_a_thesis(tmp_path, capsys, monkeypatch, overwrite):
    (tmp_path / "data.csv").write_text(DATA); (tmp_path / "thesis.tex").write_text("\\begin{document}")
    before = snapshot(tmp_path)
    monkeypatch.chdir(tmp_path)
    msg = refused(["train", "--data", "data.csv", "--output", ".", *["--overwrite"] * overwrite], capsys)
    assert "'.' holds files that are not part of a run's output (data.csv, thesis.tex); nothing was deleted" in msg
    assert "already holds a run" not in msg  # a folder holding a CSV is not called a run
    assert snapshot(tmp_path) == before

def test_the_data_files_own_folder(tmp_path, capsys):
    data = tmp_path / "project"; data.mkdir()
    (data / "reviews.csv").write_text(DATA); (data / "notes.md").write_text("to do")
    before = snapshot(data)
    msg = refused(["train", "--data", str(data / "reviews.csv"), "--output", str(data), "--overwrite"], capsys)
    assert "(notes.md, reviews.csv); nothing was deleted" in msg
    assert snapshot(data) == before

def test_the_home_folder(tmp_path, capsys, monkeypatch):
    home = tmp_path / "home"; home.mkdir(); (home / ".bashrc").write_text("export A=1")
    (home / "Documents").mkdir(); (home / "Documents" / "cv.pdf").write_bytes(b"%PDF")
    monkeypatch.setenv("HOME", str(home))
    before = snapshot(home)
    msg = refused(["train", "--output", os.path.expanduser("~"), "--overwrite"], capsys)
    assert "(.bashrc, Documents); nothing was deleted" in msg
    assert snapshot(home) == before

def test_a_run_folder_with_a_users_file_beside_it(tmp_path, capsys):
    run = fake_run(tmp_path / "run"); (run / "notes.txt").write_text("what I tried")
    before = snapshot(run)
    msg = refused(["train", "--output", str(run), "--overwrite"], capsys)
    assert "(notes.txt); nothing was deleted" in msg
    assert snapshot(run) == before

def test_a_model_the_run_reads_inside_the_output(tmp_path, capsys):
    run = fake_run(tmp_path / "run")
    before = snapshot(run)
    msg = refused(["train", "--model", str(run / "best"), "--output", str(run), "--overwrite"], capsys)
    assert "which this run reads, is inside" in msg and "overwrite would empty" in msg
    assert snapshot(run) == before

def test_a_symlink_to_a_run_is_replaced_in_place(tmp_path):
    run = fake_run(tmp_path / "run")
    link = tmp_path / "latest"; link.symlink_to(run, target_is_directory=True)
    start_output(link, overwrite=True)  # what a run does once every check has passed
    assert link.is_symlink() and run.is_dir() and list(run.iterdir()) == []

def test_a_symlink_inside_a_run_is_never_followed(tmp_path, capsys):
    mine = tmp_path / "mine"; mine.mkdir(); (mine / "photo.jpg").write_bytes(b"\xff\xd8")
    run = fake_run(tmp_path / "run"); (run / "best.old").symlink_to(mine, target_is_directory=True)
    assert foreign_entries(run) == ["best.old"]
    refused(["train", "--output", str(run), "--overwrite"], capsys)
    assert snapshot(mine) == {"photo.jpg": b"\xff\xd8"}

def test_export_over_the_run_it_reads(tmp_path, capsys):
    run = fake_run(tmp_path / "run")
    before = snapshot(run)
    for output in (run, run / "best", run / "best" / "onnx", tmp_path):
        msg = refused(["export", "--model", str(run), "--output", str(output), "--overwrite"], capsys)
        assert "would replace the model it reads" in msg, msg
    assert snapshot(run) == before

def test_export_into_a_folder_of_other_files(tmp_path, capsys):
    run = fake_run(tmp_path / "run")
    other = fake_run(tmp_path / "other_run")  # another run: not an export, so not replaced
    docs = tmp_path / "docs"; docs.mkdir(); (docs / "model.onnx").write_bytes(b""); (docs / "paper.pdf").write_bytes(b"%")
    before = snapshot(tmp_path)
    assert "not part of a saved model (best); nothing was deleted" in refused(
        ["export", "--model", str(run), "--output", str(other), "--overwrite"], capsys)
    assert "(paper.pdf); nothing was deleted" in refused(
        ["export", "--model", str(run), "--output", str(docs), "--overwrite"], capsys)
    assert snapshot(tmp_path) == before

def test_overwrite_replaces_a_real_run_and_nothing_else(tmp_path, capsys):
    "End to end on a real (tiny) run: refused while a user's file is there; once it is gone, replaced in place."
    (tmp_path / "data.csv").write_text(DATA)
    out = tmp_path / "out"
    argv = ["train", "--data", str(tmp_path / "data.csv"), "--epochs", "1", "--max-length", "16", "--no-progress",
            "--output", str(out)]
    assert main(argv) == 0
    first = json.loads((out / "metrics.json").read_text())
    (out / "notes.txt").write_text("keep me")
    refused([*argv, "--overwrite"], capsys)
    assert (out / "notes.txt").read_text() == "keep me" and (out / "best" / "model.safetensors").exists()
    (out / "notes.txt").unlink()
    assert main([*argv, "--seed", "7", "--overwrite"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["best", "metrics.json"]
    assert json.loads((out / "metrics.json").read_text())["history"] != first["history"]  # a new run, seed 7
