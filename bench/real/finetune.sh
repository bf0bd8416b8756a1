#!/usr/bin/env bash
# Issue 27's first lever, measured side by side on bench/real/dev: fine-tune models/default on synthetic speech plus
# real speech of training-pool speakers (never a dev-set speaker), against a control fine-tuned the same way on the
# synthetic speech alone; then score both, and the default model, on the dev set. models/default is left as it is.
# Usage: bench/real/finetune.sh FSDD BLSPEECH WIDS WORK [MINUTES]   (checkouts as for layout.sh; MINUTES per run, default 25)
set -euo pipefail
if [ $# -lt 4 ]; then
  echo "usage: $0 FSDD BLSPEECH WIDS WORK [MINUTES]" >&2
  exit 2
fi
fsdd="$1" blspeech="$2" wids="$3" work="$4" minutes="${5:-25}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tfcrnn="$root/tfcrnn"
dev="$root/bench/real/dev"
commit() { git -C "$1" rev-parse HEAD 2>/dev/null || echo ""; }
dev_speakers="$(tail -n +2 "$dev/provenance.csv" | cut -d, -f4 | sort -u | paste -sd,)"

# A small synthetic set (every installed espeak-ng and MBROLA voice, no noise floor), then the same plus real speech.
[ -f "$work/synth/testing_list.txt" ] || "$tfcrnn" synth --out "$work/synth" --seed 27 --threads 1 --clips-per-word 40 \
  --noise 0 --non-keyword-words 120 --non-keyword-clips-per-word 2 --background-noise-seconds 60
if [ ! -d "$work/synth-real" ]; then
  rm -rf "$work/synth-real.tmp"
  mkdir -p "$work/synth-real.tmp"
  (cd "$work/synth" && tar -c --exclude .tfcrnn-cache .) | tar -x -C "$work/synth-real.tmp"
  # Unlisted in the synthetic set's split lists, every real clip lands in the training split.
  "$tfcrnn" data import-real --out "$work/synth-real.tmp" --exclude-speakers "$dev_speakers" --layout speech-commands \
    --from "$blspeech/toy_dataset" --source JackBL248/blspeech_commands --licence CC-BY-4.0 --commit "$(commit "$blspeech")"
  "$tfcrnn" data import-real --out "$work/synth-real.tmp" --exclude-speakers "$dev_speakers" --layout speech-commands \
    --from "$wids/data/sc09" --source chaeyoung-lee/wids_tutorial --licence CC-BY-4.0 --commit "$(commit "$wids")"
  "$tfcrnn" data import-real --out "$work/synth-real.tmp" --exclude-speakers "$dev_speakers" --layout fsdd --max-per-word 40 \
    --from "$fsdd/recordings" --source Jakobovski/free-spoken-digit-dataset --licence CC-BY-SA-4.0 --commit "$(commit "$fsdd")"
  mv "$work/synth-real.tmp" "$work/synth-real"
fi

# The default model's recipe (models/default/remake.sh, stage 5), one thread each, both runs at once.
model=(--model tfcrnn-resse --width 24 --task commands35+none --batch-size 32 --patience 2 --unknown-percent 25
  --silence-percent 10 --seed 2026 --threads 1 --augment paper,+gain,+wideshift,+speed@0.3,+noise,+neighbours
  --lr 0.005 --lr-schedule cosine --max-epochs 6 --time-limit "$minutes")
for data in synth synth-real; do
  [ -f "$work/run-$data/result.json" ] || nice -n 10 "$tfcrnn" train --data "$work/$data" --init-from "$root/models/default" \
    "${model[@]}" --out "$work/run-$data" > "$work/run-$data.log" 2>&1 &
done
wait
for checkpoint in "$root/models/default" "$work/run-synth" "$work/run-synth-real"; do
  name="$(basename "$checkpoint")"
  "$tfcrnn" eval --checkpoint "$checkpoint" --data "$dev" --split all --threads 1 --json --out "$work/dev35-$name" > "$work/dev35-$name.json"
  "$tfcrnn" eval --checkpoint "$checkpoint" --data "$dev" --twelve-label --threads 1 --json --out "$work/dev12-$name" > "$work/dev12-$name.json"
done
