#!/usr/bin/env bash
# The course as a website: set up if needed, build _site/ offline (every notebook run through a Jupyter
# kernel, one HTML page each), then open every page in headless Chromium (tests/site).
# The screenshot of the index page is left in _site/screenshots/index.png.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
if ! command -v chromium >/dev/null; then
  echo "== installing Debian's chromium for the browser test"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
export HF_HUB_OFFLINE=1
start=$(date +%s)
rm -rf _site
.venv/bin/python tools/build_site.py
.venv/bin/python -m pytest tests/site -q
echo "== site built and tested in $(( $(date +%s) - start )) s: open _site/index.html; screenshot in _site/screenshots/index.png"
