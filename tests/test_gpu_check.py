"""tools/gpu_check.sh on a machine without CUDA: one sentence, exit status 2, at once (the GPU run itself needs a GPU)."""
import subprocess, sys, time
from pathlib import Path

import pytest
import torch

ROOT = Path(__file__).resolve().parents[1]

@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has a GPU: run tools/gpu_check.sh itself")
def test_gpu_check_refuses_without_cuda(tmp_path):
    start = time.perf_counter()
    r = subprocess.run(["bash", str(ROOT / "tools" / "gpu_check.sh")], capture_output=True, text=True, timeout=120,
                       env={"PATH": "/usr/bin:/bin", "PYTHON": sys.executable, "OUT": str(tmp_path)})
    assert r.returncode == 2, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("gpu_check: torch sees no CUDA GPU here"), r.stderr
    assert r.stdout == "" and not any(tmp_path.iterdir())
    assert time.perf_counter() - start < 60
