#!/usr/bin/env bash
# README command 2: set up if needed, then run every test:
#   1. notebooks are clean (nbdev_clean) and the package and README are in sync with them (nbdev_export, make_readme),
#      and `ruff check` (ruff.toml: pyflakes' rules) passes over the package, the notebooks, the tools and the tests;
#   2. every notebook runs top to bottom, once, in a real Jupyter kernel (tools/site.py --no-html; `slow` and `cuda`
#      cells are skipped, as nbdev_test does; a notebook whose code is unchanged since its last successful run is not
#      run again; the website is rendered from this run by tools/site.sh);
#   3. pytest tests/ (the command line, bad input, multi-process launches, crash and resume), two files at a time.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
export HF_HUB_OFFLINE=1      # no model hub here: fail at once instead of retrying the network
export MPLBACKEND=Agg
V=.venv/bin
start=$(date +%s)

snapshot() { find nbs bert_tutorial README.md -type f -not -path '*/__pycache__/*' -not -path '*/.ipynb_checkpoints/*' -print0 | sort -z | xargs -0 sha256sum; }
before=$(snapshot)
$V/nbdev_clean
cleaned=$(snapshot)
if [ "$before" != "$cleaned" ] && [ -z "${CI:-}" ]; then
  # a learner's saved run (execution counts, cell metadata) outside the project's JupyterLab, whose save hook cleans
  # as it saves: cleaned, not a failure; in CI a committed notebook that was not clean still fails below
  echo "== nbdev_clean cleaned what a saved run had left in:" $(diff <(echo "$before") <(echo "$cleaned") | grep '^>' | awk '{print $3}')
  before=$cleaned
fi
$V/nbdev_export
$V/python tools/make_readme.py
after=$(snapshot)
if [ "$before" != "$after" ]; then
  echo "FAILED: notebooks were not clean, or bert_tutorial/ or README.md were out of sync with nbs/. Changed:" >&2
  diff <(echo "$before") <(echo "$after") | grep '^>' | awk '{print "  " $3}' >&2
  echo "nbdev_clean, nbdev_export and tools/make_readme.py have now fixed them: review and commit." >&2
  exit 1
fi
echo "== notebooks clean, package and README in sync"
# pyflakes' rules (ruff.toml): an undefined name in an exported function, an unused import, a redefinition
$V/ruff check --quiet || { echo "FAILED: ruff check (above); fix the notebook cells it names, then nbdev_export" >&2; exit 1; }
echo "== ruff check: no undefined names, unused imports or redefinitions"

# every run, checkpoint and state the notebooks and tests write goes to a temporary folder of this test run, removed at
# the end: repeated test runs must not fill the disk (a run writes a few GB of checkpoints)
export TMPDIR="$PWD/_build/tmp"
rm -rf "$TMPDIR"; mkdir -p "$TMPDIR"
trap 'rm -rf "$TMPDIR"' EXIT
$V/python tools/site.py --no-html
$V/python tools/site.py --times
notebooks=$(date +%s)
# then pytest, two test files at a time, each process with one of the two cores' threads (run beside the notebooks
# instead, it measured 594 s against 601 s for the whole command: the work is CPU-bound, so only less work helps); the
# longest files first (the table of seconds per test file below), so that the two workers end together. Every file is
# named, in that order: with `tests` after the longest ones, pytest collected all files alphabetically, and the longest
# ran last on one worker while the other sat idle (pytest took 129 to 131 s that way, 102 to 107 s now, on 2 cores)
longest_first=(tests/test_reliability.py tests/test_early_stopping.py tests/test_cli.py tests/test_multiprocess.py
               tests/test_bad_input.py)
files=("${longest_first[@]}")
for f in tests/test_*.py; do [[ " ${longest_first[*]} " == *" $f "* ]] || files+=("$f"); done
OMP_NUM_THREADS=1 $V/python -m pytest "${files[@]}" -q -n 2 --dist loadfile --no-loadscope-reorder --durations=15 \
  --junitxml=_build/pytest.xml
du -sh "$TMPDIR" | awk '{print "== the notebooks and tests wrote " $1 " of temporary files (now removed)"}'
echo "== seconds per test file"
$V/python tools/test_times.py _build/pytest.xml
end=$(date +%s)
echo "== all tests passed in $(( end - start )) s (notebooks $(( notebooks - start )) s, pytest $(( end - notebooks )) s)"
