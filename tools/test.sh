#!/usr/bin/env bash
# README command 2: set up if needed, then run every test:
#   1. notebooks are clean (nbdev_clean) and the package and README are in sync with them (nbdev_export, make_readme);
#   2. every notebook runs top to bottom, once, in a real Jupyter kernel (tools/site.py --no-html; `slow` and `cuda`
#      cells are skipped, as nbdev_test does; a notebook whose code is unchanged since its last successful run is not
#      run again; the website is rendered from this run by tools/site.sh);
#   3. pytest tests/ (the command line, bad input, multi-process launches, crash and resume), two files at a time,
#      started beside step 2.
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

# every run, checkpoint and state the notebooks and tests write goes to a temporary folder of this test run, removed at
# the end: repeated test runs must not fill the disk (a run writes a few GB of checkpoints)
export TMPDIR="$PWD/_build/tmp"
rm -rf "$TMPDIR"; mkdir -p "$TMPDIR"
# pytest (two test files at a time, one thread each) runs beside the notebooks (two at a time) rather than after them:
# the work is the same, but neither waits for the other's last, longest job, and when the notebooks are unchanged
# since their last run pytest has both cores to itself
mkdir -p _build
OMP_NUM_THREADS=1 $V/python -m pytest tests -q --ignore=tests/site -n 2 --dist loadfile --durations=15 \
  --junitxml=_build/pytest.xml > _build/pytest.log 2>&1 &
tests_pid=$!
trap 'kill $tests_pid 2>/dev/null; rm -rf "$TMPDIR"' EXIT
notebooks_ok=0; $V/python tools/site.py --no-html || notebooks_ok=$?
notebooks=$(date +%s)
$V/python tools/site.py --times
tests_ok=0; wait $tests_pid || tests_ok=$?
trap - EXIT
du -sh "$TMPDIR" | awk '{print "== the notebooks and tests wrote " $1 " of temporary files (now removed)"}'
rm -rf "$TMPDIR"
end=$(date +%s)
echo "== pytest (beside the notebooks)"; cat _build/pytest.log
if [ "$notebooks_ok" != 0 ] || [ "$tests_ok" != 0 ]; then
  echo "FAILED: $([ "$notebooks_ok" != 0 ] && echo "a notebook (above)") $([ "$tests_ok" != 0 ] && echo "pytest (above)")" >&2
  exit 1
fi
echo "== seconds per test file"
$V/python tools/test_times.py _build/pytest.xml
echo "== all tests passed in $(( end - start )) s (notebooks done after $(( notebooks - start )) s, pytest beside them)"
