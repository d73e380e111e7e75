"""How fast a mistake is refused: each bad setting run through the installed `bert-tutorial` command, timed end to end
(Python start-up and imports included), with the one line it prints.

Usage: .venv/bin/python bench/refusals.py   (prints a markdown table; run with nothing else on the machine)
"""
import os, subprocess, sys, tempfile, time
from pathlib import Path

BIN = Path(sys.executable).parent / "bert-tutorial"
CASES = [
    ("train --lr nan", ["train", "--lr", "nan"]),
    ("train --warmup 1", ["train", "--warmup", "1"]),
    ("train --warmup -0.1", ["train", "--warmup", "-0.1"]),
    ("train --max-grad-norm 0", ["train", "--max-grad-norm", "0"]),
    ("train --save-every 0", ["train", "--save-every", "0"]),
    ("train --metric acc", ["train", "--metric", "acc"]),
    ("train --device gpu", ["train", "--device", "gpu"]),
    ("train --device cuda:7", ["train", "--device", "cuda:7"]),
    ("train --precision fp16 (on a CPU)", ["train", "--precision", "fp16"]),
    ("train --driver ddp (outside torchrun)", ["train", "--driver", "ddp"]),
    ("train --driver trainer --resume", ["train", "--driver", "trainer", "--resume"]),
    ("train --data tweet", ["train", "--data", "tweet"]),
    ("train --max-length 4096", ["train", "--max-length", "4096"]),
    ("predict --model missing", ["predict", "--model", "missing", "text"]),
    ("bench --rows 0", ["bench", "--rows", "0"]),
]

def main():
    out = Path(tempfile.mkdtemp()) / "out"
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    print("| command | exit | seconds | what it prints |")
    print("|---|---|---|---|")
    for name, args in CASES:
        args = args + (["--output", str(out)] if args[0] == "train" else [])
        start = time.perf_counter()
        r = subprocess.run([str(BIN), *args], capture_output=True, text=True, env=env, timeout=120)
        seconds = time.perf_counter() - start
        line = r.stderr.strip().splitlines()[-1] if r.stderr.strip() else ""
        assert not out.exists(), "a refused run wrote its folder"
        print(f"| `bert-tutorial {name}` | {r.returncode} | {seconds:.1f} | {line.replace('|', '/')} |")

if __name__ == "__main__":
    main()
