"""Issue 21's table: every bad `train` input of tests/test_bad_input.py, refused through the command's `main` in one
process, with the one-line message, the exit status and the seconds each refusal took (Python's and torch's start-up,
about 7 s on 2 cores, comes on top of these for the installed command: `test_the_installed_command_refuses_in_seconds`).

    python tools/refusals.py [--markdown]
"""
import contextlib, io, os, sys, tempfile, time, warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

def main(markdown=False):
    from test_bad_input import CASES
    from bert_tutorial.cli import main as cli
    rows = []
    for name, (args, _) in CASES.items():
        with tempfile.TemporaryDirectory() as t:
            t = Path(t); err = io.StringIO()
            argv = ["train", *map(str, args(t)), "--max-train-rows", "8", "--no-progress", "--output", str(t / "out")]
            start = time.perf_counter()
            with contextlib.redirect_stderr(err), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try: code = cli(argv)
                except SystemExit as e: code = e.code
            seconds = time.perf_counter() - start
            line = (err.getvalue().strip().splitlines() or [""])[-1].replace(str(t), "…")
            rows.append((name, line, code, seconds, (t / "out").exists()))
    if markdown:
        print("| case | what the user sees | exit | seconds |\n|---|---|---|---|")
        for name, line, code, s, wrote in rows:
            print(f"| {name} | `{line.replace('|', '/')}` | {code} | {s:.2f} |" + (" WROTE OUTPUT" if wrote else ""))
    else:
        for name, line, code, s, wrote in rows: print(f"{s:6.2f} s  exit {code}  {name}: {line[:120]}")
    print(f"\n{len(rows)} refusals, {sum(r[2] == 2 for r in rows)} with exit 2, {sum(r[4] for r in rows)} wrote output; "
          f"median {sorted(r[3] for r in rows)[len(rows) // 2]:.2f} s, slowest {max(r[3] for r in rows):.2f} s")

if __name__ == "__main__": main("--markdown" in sys.argv)
