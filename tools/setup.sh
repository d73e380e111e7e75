#!/usr/bin/env bash
# Create .venv in the project and install everything, once, at the exact versions that passed CI (constraints.txt):
# torch first (the CPU build pinned there, so that no CUDA build is pulled in), then this package with its dev extras.
# A second run reuses the environment unless settings.ini, setup.py or constraints.txt changed.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
stamp=.venv/.bert_tutorial-installed
want=$(cat settings.ini setup.py constraints.txt | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "== installing into .venv (first run: a few minutes)"
  pip=(.venv/bin/python -m pip install -q --disable-pip-version-check -c constraints.txt)
  "${pip[@]}" torch 2>&1 | grep -v "^WARNING: Location" || true
  "${pip[@]}" -e ".[dev]" 2>&1 | grep -v "^WARNING: Location" || true
  .venv/bin/python -c "import torch, transformers, bert_tutorial, nbdev" || { echo "setup: the install failed (see above)" >&2; exit 1; }
  echo "$want" > "$stamp"
fi
# JupyterLab started from .venv cleans a notebook as it saves it (nbdev's own hook, `jupyter_hooks = True` in
# settings.ini), so that a learner's Run All and save leaves nbs/ as clean as the test command expects. The setting
# goes in the environment's jupyter_server_config.json, which the server reads (a file in jupyter_server_config.d/,
# where this script wrote it until 2026-12-03, is read for extensions only: the hook never ran)
rm -f .venv/etc/jupyter/jupyter_server_config.d/bert_tutorial_nbdev_clean.json
.venv/bin/python - .venv/etc/jupyter/jupyter_server_config.json <<'PY'
import json, sys
from pathlib import Path
path, hook = Path(sys.argv[1]), "nbdev.clean.clean_jupyter"
config = json.loads(path.read_text()) if path.exists() else {}
if config.get("ContentsManager", {}).get("pre_save_hook") != hook:
    config.setdefault("ContentsManager", {})["pre_save_hook"] = hook
    path.parent.mkdir(parents=True, exist_ok=True); path.write_text(json.dumps(config, indent=1) + "\n")
PY
