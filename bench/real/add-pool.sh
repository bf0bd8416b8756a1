#!/usr/bin/env bash
# Adds the real training pool of bench/real/README.md to a dataset, with provenance: Speech Commands clips of
# training-split speakers (data import-real refuses the others), FSDD digits of four speakers, Picovoice's other words
# and phrases, and one ROS speaker's words; at most 40 clips a word from the one-condition sources (FSDD, ROS). No
# speaker of bench/real/dev. Real clips are not in the dataset's split lists, so every one lands in its training split.
# Usage: bench/real/add-pool.sh DATASET FSDD BLSPEECH WIDS PICOVOICE ROS   (checkouts as for layout.sh)
set -euo pipefail
if [ $# -ne 6 ]; then
  echo "usage: $0 DATASET FSDD BLSPEECH WIDS PICOVOICE ROS" >&2
  exit 2
fi
data="$1" fsdd="$2" blspeech="$3" wids="$4" picovoice="$5" ros="$6"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tfcrnn="$root/tfcrnn"
commit() { git -C "$1" rev-parse HEAD 2>/dev/null || echo ""; }
dev_speakers="$(tail -n +2 "$root/bench/real/dev/provenance.csv" | cut -d, -f4 | sort -u | paste -sd,)"
"$tfcrnn" data import-real --out "$data" --exclude-speakers "$dev_speakers" --layout speech-commands \
  --from "$blspeech/toy_dataset" --source JackBL248/blspeech_commands --licence CC-BY-4.0 --commit "$(commit "$blspeech")"
"$tfcrnn" data import-real --out "$data" --exclude-speakers "$dev_speakers" --layout speech-commands \
  --from "$wids/data/sc09" --source chaeyoung-lee/wids_tutorial --licence CC-BY-4.0 --commit "$(commit "$wids")"
"$tfcrnn" data import-real --out "$data" --exclude-speakers "$dev_speakers" --layout fsdd --max-per-word 40 \
  --from "$fsdd/recordings" --source Jakobovski/free-spoken-digit-dataset --licence CC-BY-SA-4.0 --commit "$(commit "$fsdd")"
"$tfcrnn" data import-real --out "$data" --layout words --from "$picovoice/audio" --source Picovoice/wake-word-benchmark \
  --licence Apache-2.0 --commit "$(commit "$picovoice")"
"$tfcrnn" data import-real --out "$data" --layout words --speaker felixchenfy --max-per-word 40 --from "$ros/data/data_train" \
  --source felixchenfy/ros_speech_commands_classification --licence MIT --commit "$(commit "$ros")"
