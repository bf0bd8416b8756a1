#!/usr/bin/env bash
# Issue 27's levers 1 and 2, measured side by side on bench/real/dev (bench/results/real-speech.md): fine-tune
# models/default with its last stage's recipe on three training sets made with the same seed, and score each run and
# the default model on the dev set (35 words and 12-label style), a stream of the dev set's speech, and flite and
# festival speech (never trained on):
#   synth          espeak-ng's and MBROLA's voices (the control)
#   synth-engines  the same words spoken with SVOX Pico's and RHVoice's voices added (lever 2)
#   synth-real     synth plus real speech of training-pool speakers (lever 1; never a dev-set speaker): Speech
#                  Commands clips of training-split speakers, FSDD digits of four speakers, Picovoice's other words
#                  and phrases, and one ROS speaker's words
#   synth-real-channel  synth-real with room reverberation, band-limiting and vocal-tract length perturbation added
#                  to the augmentation (real microphones and rooms; stage 6 of models/default)
# Usage: bench/real/finetune.sh FSDD BLSPEECH WIDS PICOVOICE ROS WORK   (checkouts as for layout.sh)
# ARMS="synth-real" (any of the four, space-separated) runs only those arms; SEED=N trains with another seed (2026).
# Runs are WORK/run-ARM-seedN. BASE=FOLDER fine-tunes another model than
# models/default: the figures of bench/results/real-speech.md fine-tuned stage 5, the default model before stage 6
# (`git show 27034cd:models/default/model.pt`, with config.json beside it).
# Needs the voices of scripts/install-deps.sh; bench/heldout/make_other_engines.sh installs flite and festival.
set -euo pipefail
if [ $# -ne 6 ]; then
  echo "usage: $0 FSDD BLSPEECH WIDS PICOVOICE ROS WORK" >&2
  exit 2
fi
fsdd="$1" blspeech="$2" wids="$3" picovoice="$4" ros="$5" work="$6"
arms="${ARMS:-synth synth-engines synth-real synth-real-channel}"
seed="${SEED:-2026}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
base="${BASE:-$root/models/default}"
tfcrnn="$root/tfcrnn"
dev="$root/bench/real/dev"
espeak_mbrola=en,en-us,en-gb-scotland,en-gb-x-gbclan,en-gb-x-rp,en-gb-x-gbcwmd,en-029,en-us-nyc,mb-us1,mb-us2,mb-us3,mb-en1,mb-af1-en,mb-nl2-en,mb-fr1-en,mb-fr4-en,mb-de1-en,mb-de2-en,mb-de3-en,mb-de4-en,mb-de5-en,mb-de6-en,mb-gr2-en,mb-hu1-en,mb-pl1-en,mb-ro1-en,mb-sw1-en,mb-sw2-en,de,fr-fr,es,it,pt-br,pl,ru,hi,ja,ko,ar,tr,sw
engines=pico-en-us,pico-en-gb,rhvoice-bdl,rhvoice-clb
synthesis=(--seed 27 --threads 2 --clips-per-word 60 --noise 0 --non-keyword-words 160 --non-keyword-clips-per-word 3)
[ -f "$work/synth/testing_list.txt" ] || "$tfcrnn" synth --out "$work/synth" "${synthesis[@]}" --voices "$espeak_mbrola"
[[ " $arms " != *" synth-engines "* ]] || [ -f "$work/synth-engines/testing_list.txt" ] || "$tfcrnn" synth --out "$work/synth-engines" "${synthesis[@]}" --voices "$espeak_mbrola,$engines"
# Ten minutes of the dev set's real speech as a stream: its ten words' clips among its other clips, gaps and noise
# (the dev set has no split lists, so every clip is in "train").
[ -f "$work/stream-dev/labels.csv" ] || "$tfcrnn" synth --stream --from "$dev" --split train --minutes 10 --seed 5 \
  --keywords yes,no,up,down,left,right,on,off,stop,go --out "$work/stream-dev"
[ -f "$work/other-engines/testing_list.txt" ] || "$root/bench/heldout/make_other_engines.sh" "$work/other-engines"

# Real clips join a copy of the synthetic set (bench/real/add-pool.sh).
[[ " $arms " != *" synth-real"* ]] || "$root/bench/real/add-pool.sh" "$work/synth" "$work/synth-real" "$fsdd" "$blspeech" "$wids" "$picovoice" "$ros"

# Stage 5's recipe (models/default/remake.sh), one thread each, the runs at once.
model=(--model tfcrnn-resse --width 24 --task commands35+none --batch-size 32 --patience 2 --unknown-percent 25
  --silence-percent 10 --seed "$seed" --threads 1 --lr 0.005 --lr-schedule cosine --max-epochs 6)
augment=paper,+gain,+wideshift,+speed@0.3,+noise,+neighbours
for arm in $arms; do
  data="${arm%-channel}" run="$work/run-$arm-seed$seed"
  if [ "$data" = "$arm" ]; then recipe="$augment"; else recipe="$augment,+reverb@0.3,+bandlimit@0.3,+vtlp@0.3"; fi
  [ -f "$run/result.json" ] || nice -n 10 "$tfcrnn" train --data "$work/$data" --init-from "$base" \
    "${model[@]}" --augment "$recipe" --out "$run" > "$run.log" 2>&1 &
done
wait
for checkpoint in "$base" "$work"/run-*/best "$work"/run-*/last; do
  name="$(basename "$(dirname "$checkpoint")")-$(basename "$checkpoint")"
  "$tfcrnn" eval --checkpoint "$checkpoint" --data "$dev" --split all --threads 1 --json --out "$work/dev35-$name" > "$work/dev35-$name.json"
  "$tfcrnn" eval --checkpoint "$checkpoint" --data "$dev" --twelve-label --threads 1 --json --out "$work/dev12-$name" > "$work/dev12-$name.json"
  "$tfcrnn" eval --checkpoint "$checkpoint" --data "$work/other-engines" --split test --threads 1 --json --out "$work/other-$name" > "$work/other-$name.json"
  "$tfcrnn" stream-eval --checkpoint "$checkpoint" --audio "$work/stream-dev/stream.wav" --labels "$work/stream-dev/labels.csv" \
    --keywords yes,no,up,down,left,right,on,off,stop,go --json --out "$work/stream-$name" > "$work/stream-$name.json"
done
