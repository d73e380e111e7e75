#!/usr/bin/env bash
# The course as a website: set up if needed, build _site/ with Sphinx + MyST-NB from the notebooks as tools/test.sh ran
# them (jupyter-cache: only a notebook changed since its last successful run is run again), then open every page in
# headless Chromium (tests/site). Screenshots are left in _site/screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
bash tools/need_chromium.sh
export HF_HUB_OFFLINE=1
start=$(date +%s)
.venv/bin/python tools/site.py
built=$(date +%s)
.venv/bin/python -m pytest tests/site -q
echo "== site built in $(( built - start )) s and tested in $(( $(date +%s) - built )) s: open _site/index.html; screenshots in _site/screenshots/"
