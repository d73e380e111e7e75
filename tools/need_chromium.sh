#!/usr/bin/env bash
# Debian's chromium for the browser tests (tests/site, tests/lab), installed with apt-get if missing: a browser that
# downloads its own build (`playwright install`) cannot reach its server from here.
set -euo pipefail
if ! command -v chromium >/dev/null; then
  echo "== installing Debian's chromium for the browser test"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
