import os, subprocess, sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent / "bert-tutorial"
ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONWARNINGS": "ignore::FutureWarning"}

def run_cli(*args, stdin=None, timeout=600):
    "Run the installed `bert-tutorial` command and return the finished process."
    return subprocess.run([str(BIN), *map(str, args)], input=stdin, capture_output=True, text=True, env=ENV, timeout=timeout)

@pytest.fixture
def cli(): return run_cli
