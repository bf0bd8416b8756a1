#!/usr/bin/env bash
# Lays out the real-speech sets of bench/results/real-speech.md from checkouts of three public repositories:
#   FSDD       Jakobovski/free-spoken-digit-dataset (recordings/, CC BY-SA 4.0)
#   BLSPEECH   JackBL248/blspeech_commands (toy_dataset/: 350 Speech Commands v0.02 clips, CC BY 4.0 as the dataset)
#   WIDS       chaeyoung-lee/wids_tutorial (data/sc09: 30 Speech Commands digit clips, CC BY 4.0 as the dataset)
# and, for the training pool only, two optional ones:
#   PICOVOICE  Picovoice/wake-word-benchmark (audio/: 1,965 WAV clips of five other words and phrases by 50+ people, Apache-2.0)
#   ROS        felixchenfy/ros_speech_commands_classification (data/data_train: 1,375 clips by one speaker of left,
#              right, stop, one to five and three other words, MIT)
# Nothing is downloaded: clone them yourself, then
#   bench/real/layout.sh FSDD BLSPEECH WIDS OUT [PICOVOICE ROS]
# writes OUT/dev (the set vendored in bench/real/dev) and OUT/train (real clips for training: every other speaker).
# Speech Commands clips come only from speakers that the dataset's hash rule puts in its training split
# (tfcrnn data import-real refuses the others). Of those, the speakers whose hash percentage lies in [20, 50) form
# the dev set, the rest (>= 50) the training pool; of FSDD, george and theo form the dev set, the other four the pool.
set -euo pipefail
if [ $# -ne 4 ] && [ $# -ne 6 ]; then
  echo "usage: $0 FSDD BLSPEECH WIDS OUT [PICOVOICE ROS]" >&2
  exit 2
fi
fsdd="$1" blspeech="$2" wids="$3" out="$4" picovoice="${5:-}" ros="${6:-}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tfcrnn="$root/tfcrnn"
source "$root/bench/real/sources.sh"

# Speech Commands speakers of the training split with hash percentage in [LOW, HIGH), comma-separated.
speakers() {
  python3 "$root/bench/real/speaker_split.py" speakers "$1" "$2" "$blspeech/toy_dataset" "$wids/data/sc09"
}

dev_sc="$(speakers 20 50)"
pool_sc="$(speakers 50 101)"
dev_fsdd="george,theo"
pool_fsdd="jackson,lucas,nicolas,yweweler"

for set in dev train; do
  if [ "$set" = dev ]; then sc="$dev_sc" digits="$dev_fsdd" per_digit=2; else sc="$pool_sc" digits="$pool_fsdd" per_digit=0; fi
  import_source "$out/$set" blspeech --speakers "$sc"
  import_source "$out/$set" wids --speakers "$sc"
  import_source "$out/$set" fsdd --speakers "$digits" --max-per-word "$per_digit"
done
if [ -n "$picovoice" ]; then
  # Real speech that is none of the 35 words, by many people, so that a real voice does not by itself mean "none" or "a word".
  import_source "$out/train" picovoice
  import_source "$out/train" ros
fi
