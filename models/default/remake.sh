#!/usr/bin/env bash
# Remakes models/default/ from nothing with the commands, seeds and data recipe of the shipped model (MODEL.md):
# synthesise the data with espeak-ng, train from random weights, fine-tune, copy the best checkpoint here. Hours on
# 2 CPU cores. A stage that was interrupted is resumed, one that finished is kept.
# Usage: models/default/remake.sh [WORK_FOLDER]   (default: out/default-model)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="${1:-$root/out/default-model}"
tfcrnn="$root/tfcrnn"
# train OUT OPTIONS...: a training stage into OUT, resumed if it was interrupted, skipped if it finished.
train() {
  local out=$1; shift
  if [ -f "$out/result.json" ]; then return; fi
  if [ -d "$out/last" ]; then "$tfcrnn" train --out "$out" --resume; else "$tfcrnn" train "$@" --out "$out"; fi
}
model=(--model tfcrnn-resse --width 24 --task commands35+none --batch-size 32 --patience 2 --unknown-percent 25
  --silence-percent 10 --seed 2026 --threads 2)
[ -f "$work/data/testing_list.txt" ] || "$tfcrnn" synth --out "$work/data" --seed 2026 --clips-per-word 300 \
  --non-keyword-words 235 --non-keyword-clips-per-word 8 --hold-out-voices en-gb-scotland,ja \
  --hold-out-variants klatt3,whisperf --held-out-clips-per-word 20 --held-out-out "$work/heldout"
# Stage 1: from random weights at lr 0.1; the plateau schedule never lowered the rate in these 15 epochs.
train "$work/run" --data "$work/data" "${model[@]}" --augment paper,+gain,+wideshift,+speed@0.3 --lr 0.1 --max-epochs 15
# Stage 2: fine-tuning at lr 0.01 with noise at random SNRs and neighbouring speech in the window.
train "$work/tuned" --data "$work/data" --init-from "$work/run" "${model[@]}" \
  --augment paper,+gain,+wideshift,+speed@0.3,+noise,+neighbours --lr 0.01 --max-epochs 8
cp "$work/tuned/best/config.json" "$work/tuned/best/model.pt" "$root/models/default/"
"$tfcrnn" eval --checkpoint "$root/models/default" --data "$work/heldout" --split all --out "$work/heldout-eval"
