#!/usr/bin/env bash
# Writes OUT: a copy of the synthetic dataset SYNTHETIC (without its clip cache) with the real training pool of
# bench/real/README.md added, with provenance: Speech Commands clips of training-split speakers (data import-real
# refuses the others), FSDD digits of four speakers, Picovoice's other words and phrases, and one ROS speaker's words;
# at most 40 clips a word from the one-condition sources (FSDD, ROS). No speaker of bench/real/dev. Real clips are not in
# the dataset's split lists, so every one lands in its training split. OUT appears only when complete; one that exists is kept.
# Usage: bench/real/add-pool.sh SYNTHETIC OUT FSDD BLSPEECH WIDS PICOVOICE ROS   (checkouts as for layout.sh)
set -euo pipefail
if [ $# -ne 7 ]; then
  echo "usage: $0 SYNTHETIC OUT FSDD BLSPEECH WIDS PICOVOICE ROS" >&2
  exit 2
fi
synthetic="$1" out="$2" fsdd="$3" blspeech="$4" wids="$5" picovoice="$6" ros="$7"
[ -d "$out" ] && exit 0
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tfcrnn="$root/tfcrnn"
source "$root/bench/real/sources.sh"
data="$out.tmp"
rm -rf "$data"
mkdir -p "$data"
(cd "$synthetic" && tar -c --exclude .tfcrnn-cache .) | tar -x -C "$data"
dev_speakers="$(tail -n +2 "$root/bench/real/dev/provenance.csv" | cut -d, -f4 | sort -u | paste -sd,)"
import_source "$data" blspeech --exclude-speakers "$dev_speakers"
import_source "$data" wids --exclude-speakers "$dev_speakers"
import_source "$data" fsdd --exclude-speakers "$dev_speakers" --max-per-word 40
import_source "$data" picovoice
import_source "$data" ros --max-per-word 40
mv "$data" "$out"
