#!/usr/bin/env bash
# Speaker k-fold cross-validation of a head over the speech embedding (issue 33), the recipe of models/embedding:
# trains MODEL on each fold's train/ (the synthetic set plus the real speakers of the other folds), keeps the epoch
# that scores best on the fold's own dev/ (train --select-on, 12-label style) and scores every dev clip with
# `eval --twelve-label`, whose predictions score_folds.py pools with PocketSphinx's (sphinx_peer.py) into one table.
#   bench/real/cv-embedding.sh FOLDS OUT NAME MODEL [train options ...]
#   bench/real/score_folds.py FOLDS/folds.csv --model NAME='OUT/NAME-fold-*/twelve_label_predictions.csv' \
#     --model pocketsphinx='PEER/*.csv'
# FOLDS is folds.py's output. Runs resume, a finished fold is kept; one embedding cache serves every fold, since the
# folds share their clips (OUT/embeddings unless --embedding-cache is given).
set -euo pipefail
if [ $# -lt 4 ]; then
  echo "usage: $0 FOLDS OUT NAME MODEL [train options ...]" >&2
  exit 2
fi
folds="$1" out="$2" name="$3" model="$4"
shift 4
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tfcrnn="$root/tfcrnn"
recipe=(--augment-copies 2 --optimizer adam --lr 0.002 --lr-schedule cosine --max-epochs 10 --seed 7 --threads 1)
cache=(--embedding-cache "$out/embeddings")
for k in 1 2 3 4 5; do
  run="$out/$name-fold-$k"
  [ -f "$run/twelve_label_predictions.csv" ] && continue
  if [ -f "$run/result.json" ]; then :
  elif [ -d "$run/last" ]; then "$tfcrnn" train --out "$run" --resume
  else
    "$tfcrnn" train --model "$model" --data "$folds/fold-$k/train" --select-on "$folds/fold-$k/dev" --out "$run" \
      "${recipe[@]}" "${cache[@]}" "$@"
  fi
  "$tfcrnn" eval --checkpoint "$run" --data "$folds/fold-$k/dev" --twelve-label --out "$run/twelve-label" "${cache[@]}" >/dev/null
  cp "$run/twelve-label/twelve_label_predictions.csv" "$run/twelve_label_predictions.csv"
done
