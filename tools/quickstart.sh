#!/usr/bin/env bash
# README command 1: set up, fine-tune the offline default model on the default data set for one epoch,
# print the validation metrics, save the best checkpoint to runs/quickstart, and predict two sentences with it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
export HF_HUB_OFFLINE=1  # the default model and data come from installed packages
.venv/bin/bert-tutorial train --epochs 1 --output runs/quickstart --overwrite
.venv/bin/bert-tutorial predict --model runs/quickstart "I can't wait to ride in a self-driving car!" "Driverless cars will cause so many accidents."
