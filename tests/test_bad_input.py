"Bad input: one clear sentence on stderr, exit status 2, and nothing written, before any training starts."
import pytest

from conftest import run_cli

def _csv(tmp_path, name, text, encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p

CASES = {
    "missing file": (lambda t: ["--data", t / "nope.csv"], "does not exist"),
    "empty file": (lambda t: ["--data", _csv(t, "empty.csv", "")], "is empty"),
    "missing text column": (lambda t: ["--data", _csv(t, "w.csv", "label,review\n1,好\n0,差\n")], "No text column 'text'; the file has columns ['label', 'review']"),
    "missing label column": (lambda t: ["--data", _csv(t, "w.csv", "stars,text\n1,good\n0,bad\n")], "No label column 'label'; the file has columns ['stars', 'text']"),
    "only one class": (lambda t: ["--data", _csv(t, "one.csv", "label,text\n1,good\n1,great\n1,fine\n")], "Only one class ('1')"),
    "no usable rows": (lambda t: ["--data", _csv(t, "blank.csv", 'label,text\n1," "\n0,\n')], "No usable rows"),
    "data is a folder": (lambda t: ["--data", t], "is a folder; pass the CSV or TSV file inside it"),
    "header only": (lambda t: ["--data", _csv(t, "h.csv", "label,text\n")], "has a header but no rows"),
    "labels mix numbers and words": (lambda t: ["--data", _csv(t, "m.csv", "label,text\n1,a\npos,b\n0,c\n")], "Labels mix numbers and words"),
    "a class with one example": (lambda t: ["--data", _csv(t, "s.csv", "label,text\n1,a\n1,b\n1,c\n0,d\n")], "Label '0' has a single example; a stratified split needs at least two"),
    "unknown encoding": (lambda t: ["--data", _csv(t, "e.csv", "label,text\n1,a\n0,b\n"), "--encoding", "klingon"], "Unknown encoding 'klingon'"),
    "wrong encoding named": (lambda t: ["--data", _csv(t, "g.csv", "label,text\n1,很好\n0,太差\n", "gbk"), "--encoding", "utf-8"], "is not utf-8 text"),
    "batch size zero": (lambda t: ["--batch-size", "0"], "batch-size must be positive, got 0"),
    "epochs zero": (lambda t: ["--epochs", "0"], "epochs must be positive, got 0"),
    "unknown model offline": (lambda t: ["--model", "bert-base-chinese-typo"], "Could not load model 'bert-base-chinese-typo'"),
    "not a model folder": (lambda t: ["--model", t], "is a folder but not a saved model"),
    "learning rate zero": (lambda t: ["--lr", "0"], "lr must be positive, got 0.0"),
    "max length too long": (lambda t: ["--max-length", "4096"], "beyond the model's limit of 512"),
    "unknown truncation": (lambda t: ["--truncation", "middle"], "truncation must be one of head, tail, head+tail, got 'middle'"),
    "layer decay out of range": (lambda t: ["--layer-decay", "0"], "layer-decay must be in (0, 1] (1 turns it off), got 0.0"),
    "negative extend-vocab": (lambda t: ["--extend-vocab", "-1"], "extend-vocab is a minimum count (0 turns it off), got -1"),
}

@pytest.mark.parametrize("case", CASES)
def test_bad_input_stops_before_training(case, tmp_path):
    args, message = CASES[case]
    out = tmp_path / "out"
    r = run_cli("train", *args(tmp_path), "--max-train-rows", "8", "--output", out, timeout=120)
    assert r.returncode == 2, r.stderr
    lines = r.stderr.strip().splitlines()
    assert lines[-1].startswith("bert-tutorial: error: ") and message in lines[-1], r.stderr
    assert not out.exists(), "a failed run must write nothing"
    assert "Traceback" not in r.stderr

def test_existing_run_is_not_overwritten(tmp_path):
    out = tmp_path / "out"; out.mkdir(); (out / "config.json").write_text("{}")
    r = run_cli("train", "--output", out, timeout=120)
    assert r.returncode == 2 and "already holds a run; pass --overwrite" in r.stderr
    assert [p.name for p in out.iterdir()] == ["config.json"]

def test_predict_without_input(tmp_path):
    r = run_cli("predict", "--model", tmp_path, stdin="")
    assert r.returncode == 2 and "No text to classify" in r.stderr
