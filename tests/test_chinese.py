"""The Chinese path end to end: a small character-level Chinese BERT built here (the shape of bert-base-chinese's files)
is loaded by path, fine-tuned, saved and used for prediction by the real command; and the default English model's
vocabulary extended with the training split's characters survives the same save-and-predict round trip."""
import json

import pytest
from transformers import AutoConfig, AutoTokenizer

from bert_tutorial.chinese import make_char_bert
from bert_tutorial.data import load_data, split_data
from conftest import run_cli

REVIEWS = ["很快，好吃，味道足，量大", "送餐时间太长了，菜都凉了"]

@pytest.fixture(scope="module")
def char_bert(tmp_path_factory):
    train, _, _ = split_data(load_data("chinese_reviews"))
    return make_char_bert(train.text, tmp_path_factory.mktemp("models") / "char_bert", hidden_size=64)

def test_char_bert_folder_loads_like_a_hub_model(char_bert):
    assert AutoConfig.from_pretrained(char_bert).model_type == "bert"
    tok = AutoTokenizer.from_pretrained(char_bert)
    assert tok.tokenize("很好吃") == ["很", "好", "吃"] and tok.unk_token_id not in tok("很好吃")["input_ids"]

def test_train_save_predict_with_a_local_chinese_bert(char_bert, tmp_path):
    out = tmp_path / "run"
    r = run_cli("train", "--model", char_bert, "--data", "chinese_reviews", "--max-train-rows", "300", "--max-valid-rows", "100",
                "--max-test-rows", "100", "--epochs", "1", "--max-length", "64", "--no-progress", "--output", out)
    assert r.returncode == 0, r.stderr
    assert json.loads((out / "best" / "training_config.json").read_text())["model"] == str(char_bert)
    assert AutoConfig.from_pretrained(out / "best").vocab_size == AutoConfig.from_pretrained(char_bert).vocab_size
    p = run_cli("predict", "--model", out, "--json", *REVIEWS)
    assert p.returncode == 0, p.stderr
    preds = [json.loads(l) for l in p.stdout.splitlines()]
    assert [x["text"] for x in preds] == REVIEWS
    from bert_tutorial.predict import Classifier
    assert [x["label"] for x in preds] == [x["label"] for x in Classifier(out).predict(REVIEWS)]  # the label names
    labels = sorted(load_data("chinese_reviews").label.unique())  # the data's own label names, in the run's order
    assert AutoConfig.from_pretrained(out / "best").id2label == dict(enumerate(labels))

def test_extended_vocabulary_round_trip(tmp_path):
    out = tmp_path / "run"
    r = run_cli("train", "--data", "chinese_reviews", "--extend-vocab", "2", "--max-train-rows", "200", "--max-valid-rows", "50",
                "--test-pct", "0", "--epochs", "1", "--max-length", "32", "--no-progress", "--output", out)
    assert r.returncode == 0, r.stderr
    tok = AutoTokenizer.from_pretrained(out / "best")
    assert len(tok) > tok.vocab_size and AutoConfig.from_pretrained(out / "best").vocab_size == len(tok)
    assert tok.unk_token_id not in tok("很好吃")["input_ids"]
    p = run_cli("predict", "--model", out, "--json", *REVIEWS)
    assert p.returncode == 0, p.stderr
    assert len(p.stdout.splitlines()) == 2
