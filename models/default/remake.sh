#!/usr/bin/env bash
# Remakes models/default/ from nothing with the commands, seeds and data recipe of the shipped model (MODEL.md):
# synthesise the data with espeak-ng, train from random weights, fine-tune four times (on data that adds the MBROLA
# voices, which must be installed: scripts/install-deps.sh, then twice on the same without a noise floor), then once
# on a small synthetic set with real people's speech added (from checkouts of the five public repositories of
# bench/real/README.md), copy the last checkpoint here. Hours on 2 CPU cores. A stage that was interrupted is resumed,
# one that finished is kept.
# Usage: models/default/remake.sh WORK_FOLDER FSDD BLSPEECH WIDS PICOVOICE ROS   (checkouts as for bench/real/layout.sh)
set -euo pipefail
if [ $# -ne 6 ]; then
  echo "usage: $0 WORK_FOLDER FSDD BLSPEECH WIDS PICOVOICE ROS" >&2
  exit 2
fi
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$1"
tfcrnn="$root/tfcrnn"
# train OUT OPTIONS...: a training stage into OUT, resumed if it was interrupted, skipped if it finished.
train() {
  local out=$1; shift
  if [ -f "$out/result.json" ]; then return; fi
  if [ -d "$out/last" ]; then "$tfcrnn" train --out "$out" --resume; else "$tfcrnn" train "$@" --out "$out"; fi
}
model=(--model tfcrnn-resse --width 24 --task commands35+none --batch-size 32 --patience 2 --unknown-percent 25
  --silence-percent 10 --seed 2026 --threads 2)
synthesis=(--seed 2026 --clips-per-word 300 --non-keyword-words 235 --non-keyword-clips-per-word 8
  --hold-out-voices en-gb-scotland,ja --hold-out-variants klatt3,whisperf --held-out-clips-per-word 20)
english=en,en-us,en-gb-scotland,en-gb-x-gbclan,en-gb-x-rp,en-gb-x-gbcwmd,en-029,en-us-nyc
accents=de,fr-fr,es,it,pt-br,pl,ru,hi,ja,ko,ar,tr,sw
mbrola=mb-us1,mb-us2,mb-us3,mb-en1,mb-af1-en,mb-nl2-en,mb-fr1-en,mb-fr4-en,mb-de1-en,mb-de2-en,mb-de3-en,mb-de4-en,mb-de5-en,mb-de6-en,mb-gr2-en,mb-hu1-en,mb-pl1-en,mb-ro1-en,mb-sw1-en,mb-sw2-en
# Stages 1 and 2: espeak-ng's own voices; stage 3: all voices, in the catalogue's order (listed, so that a missing
# MBROLA database is an error).
# Stages 1-3 had the white noise floor that synth added to every clip until 2026-11-27 (--noise 0.005); stage 4 has none.
[ -f "$work/data/testing_list.txt" ] || "$tfcrnn" synth --out "$work/data" "${synthesis[@]}" --noise 0.005 \
  --voices "$english,$accents" --held-out-out "$work/heldout"
[ -f "$work/data-mbrola/testing_list.txt" ] || "$tfcrnn" synth --out "$work/data-mbrola" "${synthesis[@]}" --noise 0.005 \
  --voices "$english,$mbrola,$accents" --held-out-out "$work/heldout-mbrola"
[ -f "$work/data-nofloor/testing_list.txt" ] || "$tfcrnn" synth --out "$work/data-nofloor" "${synthesis[@]}" --noise 0 \
  --voices "$english,$mbrola,$accents" --held-out-out "$work/heldout-nofloor"
# Stage 1: from random weights at lr 0.1; the plateau schedule never lowered the rate in these 15 epochs.
train "$work/run" --data "$work/data" "${model[@]}" --augment paper,+gain,+wideshift,+speed@0.3 --lr 0.1 --max-epochs 15
# Stage 2: fine-tuning at lr 0.01 with noise at random SNRs and neighbouring speech in the window.
train "$work/tuned" --data "$work/data" --init-from "$work/run" "${model[@]}" \
  --augment paper,+gain,+wideshift,+speed@0.3,+noise,+neighbours --lr 0.01 --max-epochs 8
# Stage 3: fine-tuning on the data with the MBROLA voices at lr 0.02, the same augmentation.
train "$work/mbrola" --data "$work/data-mbrola" --init-from "$work/tuned" "${model[@]}" \
  --augment paper,+gain,+wideshift,+speed@0.3,+noise,+neighbours --lr 0.02 --max-epochs 8
# Stage 4: 4 epochs at lr 0.01 on the same speech without the floor, which stages 1-3 had learned as a cue.
train "$work/nofloor" --data "$work/data-nofloor" --init-from "$work/mbrola" "${model[@]}" \
  --augment paper,+gain,+wideshift,+speed@0.3,+noise,+neighbours --lr 0.01 --max-epochs 4
# Stage 5: 6 more epochs from stage 4, the rate falling from 0.005 to nearly zero (cosine), the same data and augmentation.
train "$work/converged" --data "$work/data-nofloor" --init-from "$work/nofloor" "${model[@]}" \
  --augment paper,+gain,+wideshift,+speed@0.3,+noise,+neighbours --lr 0.005 --lr-schedule cosine --max-epochs 6
# Stage 6: real people. A small new synthetic set of the same voices (seed 27) plus the real training pool (no speaker
# of bench/real/dev), 6 epochs of stage 5's recipe from stage 5 on one thread, with reverberation, band-limiting and
# vocal-tract length perturbation added; the last epoch is kept, since the synthetic validation split no longer tells
# which checkpoint hears people best (MODEL.md, "Stage 6").
[ -f "$work/synth/testing_list.txt" ] || "$tfcrnn" synth --out "$work/synth" --seed 27 --threads 2 --clips-per-word 60 \
  --noise 0 --non-keyword-words 160 --non-keyword-clips-per-word 3 --voices "$english,$mbrola,$accents"
"$root/bench/real/add-pool.sh" "$work/synth" "$work/synth-real" "${@:2}"
train "$work/real" --data "$work/synth-real" --init-from "$work/converged" --model tfcrnn-resse --width 24 \
  --task commands35+none --batch-size 32 --patience 2 --unknown-percent 25 --silence-percent 10 --seed 2026 --threads 1 \
  --augment paper,+gain,+wideshift,+speed@0.3,+noise,+neighbours,+reverb@0.3,+bandlimit@0.3,+vtlp@0.3 \
  --lr 0.005 --lr-schedule cosine --max-epochs 6
cp "$work/real/last/config.json" "$work/real/last/model.pt" "$root/models/default/"
"$tfcrnn" eval --checkpoint "$root/models/default" --data "$root/bench/real/dev" --split all --out "$work/real-dev-eval"
