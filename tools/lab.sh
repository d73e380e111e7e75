#!/usr/bin/env bash
# The course as a learner runs it: JupyterLab in headless Chromium (Debian's `chromium`, installed if missing), the core
# notebooks 00 to 07 and 10_inference each run with Run > Run All Cells, the demo typed into (tests/lab). Prints each
# Run All's time; screenshots in _build/lab/. CI runs it after the site.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
bash tools/need_chromium.sh
export HF_HUB_OFFLINE=1
start=$(date +%s)
.venv/bin/python -m pytest tests/lab -q -s -p no:cacheprovider
echo "== JupyterLab Run All tested in $(( $(date +%s) - start )) s"
