#!/usr/bin/env bash
# Remakes models/embedding/ from nothing with the commands, seeds and data recipe of the shipped model (MODEL.md):
# installs the speech-embedding encoder, synthesises the synthetic set with espeak-ng and its MBROLA voices, lays out
# every real clip this project may use (from checkouts of the public repositories of bench/real/sources.sh, made with
# bench/real/checkout.sh into CHECKOUTS/SOURCE), splits the real speakers into the five cross-validation folds
# (bench/real/folds.py, with the project's fixed assignment), trains the head on the synthetic set plus every real clip
# (FOLDS/all/train) with the recipe that bench/real/cv-embedding.sh measured on the folds, and copies its last epoch here.
# About an hour on 2 CPU cores, most of it embedding each clip and its augmented copy once (cached in WORK/embeddings).
# A training that was interrupted is resumed, one that finished is kept.
# Usage: models/embedding/remake.sh WORK_FOLDER CHECKOUTS
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: $0 WORK_FOLDER CHECKOUTS" >&2
  exit 2
fi
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$1" checkouts="$2"
tfcrnn="$root/tfcrnn"
"$tfcrnn" encoder install
[ -f "$work/synth/testing_list.txt" ] || "$tfcrnn" synth --out "$work/synth" --seed 27 --clips-per-word 60 --noise 0 \
  --non-keyword-words 160 --non-keyword-clips-per-word 3
"$root/bench/real/layout-all.sh" "$checkouts" "$work/real-all"
python3 "$root/bench/real/folds.py" "$work/synth" "$work/real-all" "$work/folds" --keep "$root/bench/real/speaker-folds.csv"
run="$work/run"
if [ -f "$run/result.json" ]; then :
elif [ -d "$run/last" ]; then "$tfcrnn" train --out "$run" --resume
else
  "$tfcrnn" train --model embedding-tfgru --data "$work/folds/all/train" --out "$run" --augment-copies 2 --optimizer adam \
    --lr 0.002 --lr-schedule cosine --max-epochs 10 --seed 7 --threads 2 --embedding-cache "$work/embeddings"
fi
cp "$run/last/config.json" "$run/last/model.pt" "$(dirname "${BASH_SOURCE[0]}")/"
