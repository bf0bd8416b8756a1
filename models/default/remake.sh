#!/usr/bin/env bash
# Remakes models/default/ from nothing, with the exact commands, seeds and data recipe that made the shipped model
# (MODEL.md): synthesise the data with espeak-ng, train, copy the best checkpoint here. Hours on 2 CPU cores.
# Usage: models/default/remake.sh [WORK_FOLDER]   (default: out/default-model)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="${1:-$root/out/default-model}"
tfcrnn="$root/tfcrnn"
[ -f "$work/data/testing_list.txt" ] || "$tfcrnn" synth --out "$work/data" --seed 2026 --clips-per-word 300 \
  --non-keyword-words 235 --non-keyword-clips-per-word 8 --hold-out-voices en-gb-scotland,ja \
  --hold-out-variants klatt3,whisperf --held-out-clips-per-word 20 --held-out-out "$work/heldout"
"$tfcrnn" train --data "$work/data" --model tfcrnn-resse --task commands35+none \
  --augment paper,+gain,+wideshift,+speed@0.3 --width 24 --batch-size 32 --lr 0.1 --max-epochs 8 --patience 2 \
  --unknown-percent 25 --silence-percent 10 --seed 2026 --threads 2 --out "$work/run"
cp "$work/run/best/config.json" "$work/run/best/model.pt" "$root/models/default/"
"$tfcrnn" eval --checkpoint "$root/models/default" --data "$work/heldout" --split all --out "$work/heldout-eval"
