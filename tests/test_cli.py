"""The `bert-tutorial` command end to end on a CSV shaped like the tutorial's waimai_10k.csv: the first training through
the installed executable in a process of its own, the rest through the same `main` in this process (`conftest.run_cli`)."""
import json

import pytest

from conftest import run_cli

POS = ["很快，好吃，味道足，量大", "送餐快，态度好，味道好", "好吃，下次还点", "非常好吃，推荐", "味道不错，分量足", "快递小哥很热情", "包装很好，菜还是热的", "价格实惠，味道好"]
NEG = ["送餐时间太长了", "菜都凉了，不好吃", "太咸了，难吃", "等了两个小时", "分量太少，不值", "态度很差", "送错了，很生气", "味道一般，太油"]

@pytest.fixture(scope="module")
def waimai(tmp_path_factory):
    "A small `label,review` CSV like waimai_10k.csv (labels 1/0), with each text repeated with a suffix."
    path = tmp_path_factory.mktemp("data") / "waimai_small.csv"
    rows = [f"1,{t}{i}" for i in range(4) for t in POS] + [f"0,{t}{i}" for i in range(4) for t in NEG]
    path.write_text("label,review\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path

@pytest.fixture(scope="module")
def trained(waimai, tmp_path_factory):
    out = tmp_path_factory.mktemp("runs") / "waimai"
    r = run_cli("train", "--data", waimai, "--text-col", "review", "--epochs", "2", "--batch-size", "8", "--no-progress", "--output", out,
                real=True)
    assert r.returncode == 0, r.stderr
    return out, r

def test_train_prints_metrics_and_saves(trained):
    out, r = trained
    m = json.loads((out / "metrics.json").read_text())
    assert {"accuracy", "macro_f1", "train_seconds", "train_samples_per_second", "n_train", "n_valid"} <= set(m)
    assert (m["n_train"], m["n_valid"], m["n_test"]) == (50, 7, 7)  # 64 rows: 80/10/10, stratified
    assert f"validation  accuracy {m['accuracy']:.4f}" in r.stdout and f"test        accuracy {m['test']['accuracy']:.4f}" in r.stdout
    assert {"config.json", "model.safetensors", "tokenizer.json", "training_config.json", "README.md"} <= {p.name for p in (out / "best").iterdir()}
    assert not (out / "training_state.pt").exists()
    assert json.loads((out / "best" / "config.json").read_text())["id2label"] == {"0": "0", "1": "1"}

def test_predict_arguments_and_stdin(trained):
    out, _ = trained
    r = run_cli("predict", "--model", out, "很好吃", "太难吃了")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert len(lines) == 2 and [l.split("\t")[2] for l in lines] == ["很好吃", "太难吃了"]
    from bert_tutorial.predict import Classifier
    clf = Classifier(out)
    probs, preds = clf.probabilities(["很好吃", "太难吃了"]), clf.predict(["很好吃", "太难吃了"])
    # the printed label is the most probable one, and the printed score its probability
    assert [clf.model.config.id2label[int(p.argmax())] for p in probs] == [p["label"] for p in preds]
    assert [l.split("\t")[:2] for l in lines] == [[p["label"], f"{q.max():.4f}"] for p, q in zip(preds, probs)], lines
    r = run_cli("predict", "--json", "--model", out, stdin="第一行\n\n第三行\n")
    rows = [json.loads(l) for l in r.stdout.splitlines()]
    assert [x["text"] for x in rows] == ["第一行", "", "第三行"] and all(x["label"] in {"0", "1"} for x in rows)

def test_tsv_by_extension(waimai, tmp_path):
    tsv = tmp_path / "waimai.tsv"
    tsv.write_text(waimai.read_text(encoding="utf-8").replace(",", "\t", 1).replace("\n1,", "\n1\t").replace("\n0,", "\n0\t"), encoding="utf-8")
    r = run_cli("train", "--data", tsv, "--text-col", "review", "--epochs", "1", "--max-train-rows", "16", "--no-progress", "--output", tmp_path / "out")
    assert r.returncode == 0, r.stderr
    assert json.loads((tmp_path / "out" / "metrics.json").read_text())["n_train"] == 16

def test_separate_dev_file_splits_nothing_off(waimai, tmp_path):
    "The common train.csv + dev.csv case: the dev file validates, the whole training file trains, there is no test."
    dev = tmp_path / "dev.csv"
    dev.write_text("label,review\n1,很好吃\n0,太难吃了\n1,下次还点\n0,送得太慢\n", encoding="utf-8")
    r = run_cli("train", "--data", waimai, "--valid-data", dev, "--text-col", "review", "--epochs", "1", "--no-progress",
                "--output", tmp_path / "out")
    assert r.returncode == 0, r.stderr
    m = json.loads((tmp_path / "out" / "metrics.json").read_text())
    assert (m["n_train"], m["n_valid"], m["n_test"], m["test"]) == (64, 4, 0, None)
    assert "test        none (no test split)" in r.stdout

def test_bench_json_on_a_label_review_csv(waimai):
    "A tiny benchmark through the command line, on the tutorial's column names: one JSON object with every figure."
    r = run_cli("bench", "--data", waimai, "--text-col", "review", "--rows", "32", "--repeats", "2",
                "--recipe-samples", "4", "--valid-samples", "16", "--infer-samples", "16", "--json")
    assert r.returncode == 0, r.stderr
    b = json.loads(r.stdout)
    assert {"peak_gflops", "recipe", "default", "inference", "speedup"} <= set(b)
    for k in ("samples_per_second", "real_tokens_per_second", "padding_share", "gflops", "peak_share", "peak_memory_mb"):
        assert k in b["recipe"] and k in b["default"], k
    assert (b["default"]["rows"], b["default"]["repeats"], b["recipe"]["samples"]) == (32, 2, 4)
    assert b["default"]["samples_per_second_min"] <= b["default"]["samples_per_second"] <= b["default"]["samples_per_second_max"]
    assert b["recipe"]["padding_share"] > b["default"]["padding_share"]

def test_time_to_accuracy_json(waimai, tmp_path):
    "The race, with a separate dev file: every system ends its epoch scored, and the target is the Trainer default's."
    dev = tmp_path / "dev.csv"
    dev.write_text("label,review\n1,很好吃\n0,太难吃了\n1,下次还点\n0,送得太慢\n", encoding="utf-8")
    r = run_cli("bench", "--time-to-accuracy", "--data", waimai, "--valid-data", dev, "--text-col", "review",
                "--rows", "32", "--every", "16", "--epochs", "1", "--json")
    assert r.returncode == 0, r.stderr
    b = json.loads(r.stdout)
    assert (b["rows"], b["dev_rows"]) == (32, 4)
    assert b["target"] == b["systems"]["Trainer, defaults (fp32)"]["curve"][-1]["accuracy"]
    assert all(s["curve"][-1]["samples"] == 32 for s in b["systems"].values())

def test_export_to_onnx_then_predict_with_it(trained, tmp_path):
    "`export` writes an ONNX copy; `predict --model` on it gives the PyTorch checkpoint's labels and scores."
    out, _ = trained
    texts = ["很好吃", "太难吃了", "送餐快，态度好", "等了两个小时，菜都凉了"]
    r = run_cli("export", "--model", out, "--output", tmp_path / "onnx")
    assert r.returncode == 0, r.stderr
    assert "model.onnx" in r.stdout
    ref = run_cli("predict", "--json", "--precision", "fp32", "--model", out, *texts)
    got = run_cli("predict", "--json", "--model", tmp_path / "onnx", *texts)
    assert got.returncode == 0, got.stderr
    a, b = ([json.loads(l) for l in p.stdout.splitlines()] for p in (ref, got))
    assert [x["label"] for x in a] == [x["label"] for x in b]
    assert max(abs(x["score"] - y["score"]) for x, y in zip(a, b)) < 1e-4
    again = run_cli("export", "--model", out, "--output", tmp_path / "onnx")
    assert again.returncode == 2 and "already holds an export; choose another folder or pass --overwrite" in again.stderr
    replaced = run_cli("export", "--model", out, "--output", tmp_path / "onnx", "--overwrite")  # an export: replaced
    assert replaced.returncode == 0, replaced.stderr
    assert "model.onnx" in {f.name for f in (tmp_path / "onnx").iterdir()}
    assert sorted(f.name for f in tmp_path.iterdir()) == ["onnx"]  # no working folder left beside it

def test_classifier_refuses_what_is_not_text(trained):
    from bert_tutorial.data import UserError
    from bert_tutorial.predict import Classifier
    clf = Classifier(trained[0])
    with pytest.raises(UserError, match="Text 0 is NoneType None, not a string"): clf.predict([None, 3])
    with pytest.raises(UserError, match="Text 1 is int 3, not a string"): clf.predict(["fine", 3])
    assert [p["label"] for p in clf.predict(["很好吃"])] == [clf.predict("很好吃")[0]["label"]]

def train_small(waimai, out, *flags):
    "One epoch of the test's small model on the small CSV, in fp32, with these flags."
    from conftest import small_model
    return run_cli("train", "--data", waimai, "--text-col", "review", "--model", small_model(), "--epochs", "1",
                   "--batch-size", "8", "--precision", "fp32", *flags, "--no-progress", "--output", out)

def test_train_calibrate_saves_the_temperature_in_the_head(waimai, tmp_path):
    "`--calibrate temperature`: fitted on validation, folded into the saved head, reported; predictions unchanged."
    out = tmp_path / "calibrated"
    r = train_small(waimai, out, "--calibrate", "temperature")
    assert r.returncode == 0, r.stderr
    m = json.loads((out / "metrics.json").read_text())
    cal = m["calibration"]
    assert cal["temperature"] > 0 and set(cal) == {"temperature", "valid", "test"}
    assert cal["test"]["accuracy"] == m["test"]["accuracy"]  # scored before and after folding: the same predictions
    assert f"calibrated  temperature {cal['temperature']:.3f}: test ECE" in r.stdout
    saved = json.loads((out / "best" / "config.json").read_text())["calibration_temperature"]
    assert abs(saved - cal["temperature"]) < 1e-9
    assert json.loads((out / "best" / "training_config.json").read_text())["temperature"] == cal["temperature"]
    assert f"divided by the temperature {cal['temperature']:.3f}" in (out / "best" / "README.md").read_text()
    bad = run_cli("train", "--data", waimai, "--calibrate", "platt", "--output", tmp_path / "no")
    assert bad.returncode == 2 and "invalid choice: 'platt'" in bad.stderr and not (tmp_path / "no").exists()

def test_mislabels_lists_suspects_and_never_replaces_a_file(waimai, tmp_path):
    "`mislabels` prints the most suspect labels and writes them all to a new CSV; an existing file is refused, unchanged."
    import pandas as pd
    flipped = tmp_path / "flipped.csv"
    lines = waimai.read_text(encoding="utf-8").splitlines()
    lines[1:4] = [("0" if line[0] == "1" else "1") + line[1:] for line in lines[1:4]]  # three labels made wrong
    flipped.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "suspects.csv"
    r = run_cli("mislabels", "--data", flipped, "--text-col", "review", "--folds", "3", "--top", "2", "--no-progress",
                "--output", out)
    assert r.returncode == 0, r.stderr
    suspects = pd.read_csv(out)
    assert list(suspects.columns) == ["text", "label", "suggested", "p_label"] and len(suspects) >= 1
    assert (suspects.label.astype(str) != suspects.suggested.astype(str)).all()
    assert f"{len(suspects)} of 64 labels are probably wrong" in r.stdout
    assert len([line for line in r.stdout.splitlines() if " -> " in line]) == min(2, len(suspects))
    before = out.read_bytes()
    again = run_cli("mislabels", "--data", flipped, "--text-col", "review", "--output", out)
    assert again.returncode == 2 and "already exists; name a new file" in again.stderr and out.read_bytes() == before
    for args, message in [(["--folds", "1"], "folds must be at least 2, got 1"),
                          (["--top", "-1"], "top must be at least 0, got -1"),
                          (["--output", tmp_path / "no" / "such.csv"], "does not exist; create it"),
                          (["--text-col", "text"], "No text column 'text'")]:
        r = run_cli("mislabels", "--data", flipped, "--text-col", "review", *args)
        assert r.returncode == 2 and message in r.stderr, (args, r.stderr)

def test_predict_by_windows(trained):
    "`predict --windows` reads long texts in windows; a text that fits is one window, so its scores are the head's."
    out, _ = trained
    texts = ["很好吃", "太难吃了，送餐时间太长了"]
    plain, windows = (run_cli("predict", "--json", *flags, "--model", out, *texts) for flags in ([], ["--windows"]))
    assert plain.returncode == windows.returncode == 0, windows.stderr
    rows = [[json.loads(line) for line in r.stdout.splitlines()] for r in (plain, windows)]
    assert [r["label"] for r in rows[0]] == [r["label"] for r in rows[1]]
    assert all(abs(a["score"] - b["score"]) < 1e-4 for a, b in zip(*rows))
    bad = run_cli("predict", "--windows", "--stride", "-1", "--model", out, "很好吃")
    assert bad.returncode == 2 and "stride must be at least 0, got -1" in bad.stderr

def test_train_lora_saves_the_merged_model_and_the_adapter(waimai, tmp_path):
    "`--lora 4`: the merged folder predicts, and the adapter alone gives the same scores through peft elsewhere."
    import torch
    from bert_tutorial.lora import LORA_LR, adapter_elsewhere
    out = tmp_path / "lora"
    r = train_small(waimai, out, "--lora", "4")
    assert r.returncode == 0, r.stderr
    best = out / "best"
    assert {"adapter_config.json", "adapter_model.safetensors"} <= {p.name for p in (best / "adapter").iterdir()}
    saved = json.loads((best / "training_config.json").read_text())
    assert (saved["lora"], saved["lr"]) == (4, LORA_LR)
    assert "LoRA rank 4" in (best / "README.md").read_text()
    texts = ["很好吃", "太难吃了，送餐时间太长了"]
    pred = run_cli("predict", "--json", "--precision", "fp32", "--model", out, *texts)
    assert pred.returncode == 0, pred.stderr
    scores = [json.loads(line)["score"] for line in pred.stdout.splitlines()]
    theirs = torch.softmax(torch.tensor(adapter_elsewhere(best, texts)), -1).max(1).values.tolist()
    assert all(abs(a - b) < 1e-4 for a, b in zip(scores, theirs)), (scores, theirs)
