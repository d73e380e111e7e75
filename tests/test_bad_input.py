"""Bad input: one clear sentence on stderr, exit status 2, and nothing written, before anything loads.

Most cases call the command's `main([...])` in this process (the same code path as the installed command, without
paying for a new Python process per case); a few run the real `bert-tutorial` executable end to end."""
import time

import pytest

from bert_tutorial.cli import main
from conftest import run_cli

def _csv(tmp_path, name, text, encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p

def _fake_model(folder, model_type, positions=512):
    "A folder that passes the completeness check (config, vocabulary, a whole but empty weights file)."
    folder.mkdir(exist_ok=True)
    (folder / "config.json").write_text('{"model_type": "%s", "max_position_embeddings": %d}' % (model_type, positions))
    (folder / "vocab.txt").write_text("[PAD]\n[UNK]\n")
    (folder / "model.safetensors").write_bytes((2).to_bytes(8, "little") + b"{}")
    return folder

def _gzip(p):
    import gzip
    p.write_bytes(gzip.compress(b"label,text\n1,a\n0,b\n"))
    return p

CASES = {
    # the data
    "missing file": (lambda t: ["--data", t / "nope.csv"], "does not exist"),
    "empty file": (lambda t: ["--data", _csv(t, "empty.csv", "")], "is empty"),
    "missing text column": (lambda t: ["--data", _csv(t, "w.csv", "label,review\n1,好\n0,差\n")],
                            "No text column 'text' in 'w.csv'; the file has columns ['label', 'review']"),
    "missing label column": (lambda t: ["--data", _csv(t, "w.csv", "stars,text\n1,good\n0,bad\n")],
                             "No label column 'label' in 'w.csv'; the file has columns ['stars', 'text']"),
    "validation file without the text column": (
        lambda t: ["--data", _csv(t, "train.csv", "label,text\n1,good\n0,bad\n"),
                   "--valid-data", _csv(t, "dev.csv", "label,review\n1,good\n0,bad\n")],
        "No text column 'text' in 'dev.csv'"),
    "only one class": (lambda t: ["--data", _csv(t, "one.csv", "label,text\n1,good\n1,great\n1,fine\n")], "Only one class ('1')"),
    "no usable rows": (lambda t: ["--data", _csv(t, "blank.csv", 'label,text\n1," "\n0,\n')], "No usable rows"),
    "data is a folder": (lambda t: ["--data", t], "is a folder; pass the CSV or TSV file inside it"),
    "header only": (lambda t: ["--data", _csv(t, "h.csv", "label,text\n")], "has a header but no rows"),
    "labels mix numbers and words": (lambda t: ["--data", _csv(t, "m.csv", "label,text\n1,a\npos,b\n0,c\n")],
                                     "Labels mix numbers and words"),
    "a class with one example": (lambda t: ["--data", _csv(t, "s.csv", "label,text\n1,a\n1,b\n1,c\n0,d\n")],
                                 "Label '0' has only 1 example(s); a stratified split needs at least three"),
    "unknown encoding": (lambda t: ["--data", _csv(t, "e.csv", "label,text\n1,a\n0,b\n"), "--encoding", "klingon"],
                         "Unknown encoding 'klingon'"),
    "wrong encoding named": (lambda t: ["--data", _csv(t, "g.csv", "label,text\n1,很好\n0,太差\n", "gbk"), "--encoding", "utf-8"],
                             "is not utf-8 text"),
    "missing validation file": (lambda t: ["--valid-data", t / "dev.csv"], "Data file"),
    "gzip file named .csv": (lambda t: ["--data", _gzip(t / "data.csv.gz")], "is gzip-compressed, not a text table; gunzip it first"),
    "a row with an extra field": (lambda t: ["--data", _csv(t, "x.csv", "label,text\n1,a\n0,b,c\n1,d\n")],
                                  "is not a well-formed table: Error tokenizing data. C error: Expected 2 fields in line 3, saw 3"),
    "an unbalanced quote": (lambda t: ["--data", _csv(t, "q.csv", 'label,text\n1,"a\n0,b\n1,c\n')], "EOF inside string"),
    "text column equal to the label column": (lambda t: ["--text-col", "label"], "text-col and label-col are both 'label'"),
    "validation file with a validation share": (
        lambda t: ["--valid-data", _csv(t, "dev.csv", "label,text\n1,a\n0,b\n"), "--valid-pct", "0.2"],
        "valid-data replaces the validation split, so valid-pct would do nothing"),
    "two label columns": (lambda t: ["--data", _csv(t, "two.csv", "label,text,label\n1,a,0\n0,b,1\n")],
                          "two.csv' has 2 columns named 'label'; rename or drop the extra ones"),
    "misspelt built-in data set": (lambda t: ["--data", "tweet"], "Data file 'tweet' does not exist"),
    # the settings
    "batch size zero": (lambda t: ["--batch-size", "0"], "batch-size must be at least 1, got 0"),
    "epochs zero": (lambda t: ["--epochs", "0"], "epochs must be at least 1, got 0"),
    "learning rate zero": (lambda t: ["--lr", "0"], "lr must be positive, got 0.0"),
    "learning rate not finite": (lambda t: ["--lr", "nan"], "lr must be a finite number, got nan"),
    "learning rate infinite": (lambda t: ["--lr", "inf"], "lr must be a finite number, got inf"),
    "negative warmup": (lambda t: ["--warmup", "-0.1"], "warmup is a share of the optimizer steps"),
    "warmup share of 1": (lambda t: ["--warmup", "1"], "warmup is a share of the optimizer steps, from 0 up to (not including) 1; got 1.0"),
    "max grad norm zero": (lambda t: ["--max-grad-norm", "0"], "max-grad-norm must be positive, got 0.0"),
    "negative weight decay": (lambda t: ["--weight-decay", "-1"], "weight-decay must be 0 or more"),
    "dropout of 1": (lambda t: ["--dropout", "1"], "dropout is a probability, from 0 up to (not including) 1; got 1.0"),
    "save every zero": (lambda t: ["--save-every", "0"], "save-every must be at least 1, got 0"),
    "patience zero": (lambda t: ["--patience", "0"], "patience must be at least 1, got 0"),
    "eval every zero": (lambda t: ["--eval-every", "0"], "eval-every must be at least 1, got 0"),
    "max length too long": (lambda t: ["--max-length", "4096"], "beyond BERT's limit of 512"),
    "max length too short": (lambda t: ["--max-length", "2"], "max-length must be at least 8, got 2"),
    "layer decay out of range": (lambda t: ["--layer-decay", "0"], "layer-decay must be in (0, 1] (1 turns it off), got 0.0"),
    "negative extend-vocab": (lambda t: ["--extend-vocab", "-1"], "extend-vocab must be at least 0, got -1"),
    "validation and test leave nothing": (lambda t: ["--valid-pct", "0.5", "--test-pct", "0.45"], "leaves under 10%"),
    "validation share of 1": (lambda t: ["--valid-pct", "1"], "valid-pct must be between 0 and 1"),
    "negative workers": (lambda t: ["--num-workers", "-1"], "num-workers must be at least 0"),
    "device that does not parse": (lambda t: ["--device", "gpu"], "device 'gpu' is not a device name"),
    "device that does not exist": (lambda t: ["--device", "cuda:7"], "device 'cuda:7'"),
    "fp16 on a CPU": (lambda t: ["--device", "cpu", "--precision", "fp16"], "precision fp16 needs a GPU"),
    "ddp outside torchrun": (lambda t: ["--driver", "ddp"], "runs in processes started by torchrun"),
    "resume with another driver": (lambda t: ["--driver", "trainer", "--resume"], "work with the loop driver only"),
    "a seed numpy cannot take": (lambda t: ["--seed", str(2**40)], "seed must be at most 2**32 - 1 (4294967295)"),
    "resume with a training setting": (lambda t: ["--resume", "--lr", "1e-3"],
                                       "--resume continues the stopped run with the settings it started with, so --lr"),
    "max steps zero": (lambda t: ["--max-steps", "0"], "max-steps must be at least 1, got 0"),
    # the model
    "a split too small for the classes": (
        lambda t: ["--data", _csv(t, "six.csv", "label,text\n" + "".join(f"{i % 2},text {i}\n" for i in range(6)))],
        "The test split (test-pct 0.1) of 6 rows holds 1, fewer than the 2 classes"),
    "a validation share too small for three classes": (
        lambda t: ["--data", _csv(t, "thirty.csv", "label,text\n" + "".join(f"{i % 3},text {i}\n" for i in range(30))),
                   "--valid-pct", "0.02"],
        "The validation split (valid-pct 0.02) of 30 rows holds 1, fewer than the 3 classes, and a stratified split "
        "needs one of each; pass valid-pct 0.07 or more"),
    "unknown model offline": (lambda t: ["--model", "bert-base-chinese-typo"], "Could not load model 'bert-base-chinese-typo'"),
    "not a model folder": (lambda t: ["--model", t], "is a folder but not a saved model"),
    "max length beyond the model's positions": (
        lambda t: ["--model", _fake_model(t / "short", "bert", 128), "--max-length", "256"],
        "max-length 256 is beyond what"),
    "stride without windows": (lambda t: ["--stride", "8"], "without truncation windows it would do nothing"),
    "windows with another driver": (lambda t: ["--truncation", "windows", "--driver", "trainer"],
                                    "truncation windows trains with the loop driver only, not trainer"),
    "a stride that leaves a window nothing new": (
        lambda t: ["--truncation", "windows", "--max-length", "64", "--stride", "62"], "pass a stride under 62"),
    "a LoRA rank of 0": (lambda t: ["--lora", "0"], "lora must be at least 1, got 0"),
    "a LoRA rank above the model's width": (lambda t: ["--lora", "512"], "lora 512 is a rank above the model's width (384)"),
    "LoRA with calibration": (lambda t: ["--lora", "8", "--calibrate", "temperature"],
                              "a LoRA run's adapter would not carry it"),
    "mean pooling for a model that is not a BERT": (
        lambda t: ["--model", _fake_model(t / "distil", "distilbert"), "--pooling", "mean"],
        "Mean pooling is built for BERT models"),
}

@pytest.mark.parametrize("case", CASES)
def test_bad_input_stops_before_training(case, tmp_path, capsys):
    args, message = CASES[case]
    out = tmp_path / "out"
    assert main(["train", *map(str, args(tmp_path)), "--max-train-rows", "8", "--no-progress", "--output", str(out)]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert lines[-1].startswith("bert-tutorial: error: ") and message in lines[-1], lines
    assert not out.exists(), "a failed run must write nothing"

# argparse refuses a choice that does not exist, a misspelt --metric included, before the command runs
@pytest.mark.parametrize("flag,value", [("--metric", "acc"), ("--truncation", "middle"), ("--driver", "keras"),
                                        ("--precision", "fp8"), ("--epochs", "four")])
def test_choices_and_types_are_refused_by_the_parser(flag, value, tmp_path, capsys):
    with pytest.raises(SystemExit) as e:
        main(["train", flag, value, "--output", str(tmp_path / "out")])
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert f"argument {flag}: invalid" in err and value in err
    assert not (tmp_path / "out").exists()

def test_existing_run_is_not_overwritten(tmp_path, capsys):
    out = tmp_path / "out"; out.mkdir(); (out / "metrics.json").write_text("{}")  # what a finished run leaves
    assert main(["train", "--output", str(out)]) == 2
    assert "already holds a run; replace it (overwrite)" in capsys.readouterr().err
    assert [p.name for p in out.iterdir()] == ["metrics.json"]

@pytest.mark.parametrize("args,message", [
    (["--model", "{tmp}/none"], "does not exist"),
    (["--model", "{tmp}"], "holds no saved model"),
    (["--model", "{model}", "--batch-size", "0"], "batch-size must be at least 1, got 0"),
    (["--model", "{model}", "--device", "cuda:x"], "is not a device name"),
])
def test_predict_checks_before_loading(args, message, tmp_path, capsys):
    model = _fake_model(tmp_path / "model", "bert")
    args = [a.format(tmp=tmp_path / "empty", model=model) for a in args]
    (tmp_path / "empty").mkdir()
    assert main(["predict", *args, "a text"]) == 2
    assert message in capsys.readouterr().err

def test_settings_of_the_wrong_type_from_python():
    from bert_tutorial.data import UserError
    from bert_tutorial.config import TrainConfig
    with pytest.raises(UserError, match="data must be a name or a path, got 123"): TrainConfig(data=123).check()
    with pytest.raises(UserError, match="encoding must be a codec name such as utf-8 or gb18030, got 0"):
        TrainConfig(encoding=0).check()
    with pytest.raises(UserError, match="is not a device name"): TrainConfig(device=2**63).check()  # torch: ValueError

def test_no_value_of_any_setting_escapes_the_check_as_a_foreign_error():
    "Every field, set to values at the edges of what a library takes: refused in one sentence, or accepted."
    from dataclasses import fields
    from bert_tutorial.data import UserError
    from bert_tutorial.config import TrainConfig
    accepted = []
    for f in fields(TrainConfig):
        for v in (0, -1, 0.5, 2**63, float("nan"), float("inf"), "x", b"x"):
            try: TrainConfig(**{f.name: v}).check(); accepted.append((f.name, v))
            except UserError: pass
    assert ("epochs", 0) not in accepted and ("lr", float("inf")) not in accepted  # the check does refuse
    assert ("seed", 0) in accepted  # and accepts what is fine

@pytest.mark.parametrize("args,message", [(["--rows", "0"], "rows must be at least 1, got 0"),
                                          (["--time-to-accuracy", "--rows", "0"], "rows must be at least 1, got 0"),
                                          (["--data", "missing.csv"], "does not exist"),
                                          (["--device", "gpu"], "is not a device name")])
def test_bench_checks_before_loading(args, message, capsys):
    assert main(["bench", *args]) == 2
    assert message in capsys.readouterr().err

# the real executable, end to end: the message, the exit status, no traceback, and how long a refusal takes
@pytest.mark.parametrize("args,message", [(["--lr", "nan"], "lr must be a finite number"),
                                          (["--data", "nope.csv"], "does not exist")])
def test_the_installed_command_refuses_in_seconds(args, message, tmp_path):
    start = time.perf_counter()
    r = run_cli("train", *args, "--output", tmp_path / "out", timeout=120, real=True)
    seconds = time.perf_counter() - start
    assert r.returncode == 2 and r.stderr.strip().splitlines()[-1].startswith("bert-tutorial: error: ")
    assert message in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "out").exists()
    print(f"refused in {seconds:.1f} s")  # reported by `pytest -s`; the time is measured, not asserted

def test_predict_without_input(tmp_path):
    r = run_cli("predict", "--model", _fake_model(tmp_path / "model", "bert"), stdin="")
    assert r.returncode == 2 and "No text to classify" in r.stderr

@pytest.mark.parametrize("data,message", [
    (b"caf\xe9 au lait\n", "Standard input is not UTF-8 text (byte 0xe9 at offset 3); convert it first"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "Standard input holds NUL bytes, so it is a binary file, not text"),
])
def test_predict_refuses_input_that_is_not_text(data, message, tmp_path, capsys, monkeypatch):
    import io, sys
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))  # what a pipe from a file gives
    assert main(["predict", "--model", str(_fake_model(tmp_path / "model", "bert"))]) == 2
    assert message in capsys.readouterr().err

def test_predict_refuses_an_argument_that_is_not_utf8(tmp_path, capsys):
    # a shell passes bytes that are not UTF-8 as surrogates (os.fsdecode)
    assert main(["predict", "--model", str(_fake_model(tmp_path / "model", "bert")), "ok", "caf\udce9"]) == 2
    assert "Argument 2 is not UTF-8 text; pass texts in UTF-8." in capsys.readouterr().err

def test_a_data_file_the_user_may_not_read(tmp_path, capsys, monkeypatch):
    import os
    data = _csv(tmp_path, "locked.csv", "label,text\n1,good\n0,bad\n")
    access = os.access  # what `chmod 000` makes it say to anyone but root (these machines run the tests as root)
    monkeypatch.setattr(os, "access", lambda p, mode, **k: not (str(p) == str(data) and mode & os.R_OK)
                        and access(p, mode, **k))
    out = tmp_path / "out"
    assert main(["train", "--data", str(data), "--no-progress", "--output", str(out)]) == 2
    assert f"{str(data)!r} cannot be read (permission denied); check its permissions." in capsys.readouterr().err
    assert not out.exists()

def test_predict_reads_lines_of_utf8_with_a_bom_and_crlf():
    import io
    from bert_tutorial.cli import read_texts
    assert read_texts([], io.TextIOWrapper(io.BytesIO("\ufeff很好\r\n\r\n太差\r\n".encode()))) == ["很好", "", "太差"]

def test_bf16_on_a_cpu_without_it_is_said(monkeypatch):
    import torch
    from bert_tutorial import model
    monkeypatch.setattr(model, "cpu_has_bf16", lambda: False)
    with pytest.warns(UserWarning, match="this CPU has no native bf16"):
        assert model.choose_precision(torch.device("cpu"), "bf16") == "bf16"  # what was asked, with a word
    assert model.choose_precision(torch.device("cpu"), "auto") == "fp32"
