import contextlib, functools, io, os, shutil, subprocess, sys, tempfile, warnings
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent / "bert-tutorial"
ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONWARNINGS": "ignore::FutureWarning"}
os.environ.setdefault("HF_HUB_OFFLINE", "1")  # for the commands run in this process

def run_cli(*args, stdin=None, timeout=600, real=False):
    """Run `bert-tutorial ARGS` and return the finished process (returncode, stdout, stderr).

    With `real=True` it is the installed executable in a new process; otherwise the same entry point, `cli.main`, in
    this one, which saves the 6 to 7 s that every new Python pays to import torch and transformers (the tests that
    need a process of their own, for signals, determinism or the executable itself, pass `real=True`)."""
    if real:
        return subprocess.run([str(BIN), *map(str, args)], input=stdin, capture_output=True, text=True, env=ENV,
                              timeout=timeout)
    from bert_tutorial.cli import main
    out, err, stdin_was = io.StringIO(), io.StringIO(), sys.stdin
    sys.stdin = io.StringIO(stdin or "")
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), warnings.catch_warnings():
            warnings.simplefilter("default")  # a new filter set: each call shows its warnings, as a new process does
            for quiet in (DeprecationWarning, FutureWarning): warnings.filterwarnings("ignore", category=quiet)
            try: code = main([str(a) for a in args])
            except SystemExit as e: code = e.code if isinstance(e.code, int) else 2  # argparse's refusals
    finally: sys.stdin = stdin_was
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())

@pytest.fixture
def cli(): return run_cli

@functools.cache
def small_model()->str:
    """The default model cut to its first 2 of 6 layers (their own trained weights, the mean pooling kept), saved once
    per test process, for the tests of mechanics (early stopping, resuming, class weights, a two-node launch): they need
    a model that trains through the course's code, not one that learns well, and this one costs a third of the compute.
    Every notebook, and every test of what a model learns, trains the full one."""
    from transformers import AutoModel, AutoTokenizer
    from bert_tutorial.model import quiet_loading
    from bert_tutorial.tokenize import default_model_path
    src, out = Path(default_model_path()), Path(tempfile.mkdtemp(prefix="small_model_"))
    with quiet_loading():  # the four layers left out are "unexpected" weights
        AutoModel.from_pretrained(src, num_hidden_layers=2).save_pretrained(out)
    AutoTokenizer.from_pretrained(src).save_pretrained(out)
    shutil.copytree(src / "1_Pooling", out / "1_Pooling")  # how sentence-transformers says "trained through the mean"
    return str(out)

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"  # Debian's, installed by tools/need_chromium.sh
# Chromium as this machine's network allows: no background connections that the closed network would refuse
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]

@pytest.fixture(scope="module")
def browser():
    "Headless Chromium through Playwright (tests/site, tests/lab)."
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield b
        b.close()

def pytest_collection_finish(session):
    # what collecting imported (torch, transformers, the package) lives as long as this process: frozen out of the
    # garbage collector's sight, as the `bert-tutorial` command does (bert_tutorial.console)
    import gc
    gc.freeze()
