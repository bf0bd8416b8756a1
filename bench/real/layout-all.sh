#!/usr/bin/env bash
# Lays out every real clip this project may use, from checkouts of the sources of sources.sh, into one dataset folder
# OUT (WORD/SPEAKER_nohash_N.wav, 16 kHz mono, one second, and provenance.csv: source, original file, speaker, licence,
# commit per clip), for speaker k-fold cross-validation (folds.py):
#   bench/real/layout-all.sh CHECKOUTS OUT
# CHECKOUTS holds one folder per source, named as the source (the names of real_sources in sources.sh),
# each made by `bench/real/checkout.sh SOURCE REPOSITORY CHECKOUTS/SOURCE`; a missing one is skipped with a note.
# Every speaker is in it, bench/real/dev's too: the folds keep each speaker in one fold. Speech Commands clips come only
# from training-split speakers (import-real refuses the others); the same clip in two copies of Speech Commands is laid
# out once (its name is its word, speaker and index). OUT appears only when complete; one that exists is kept.
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: $0 CHECKOUTS OUT" >&2
  exit 2
fi
checkouts="$1" out="$2"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tfcrnn="$root/tfcrnn"
source "$root/bench/real/sources.sh"
[ -d "$out" ] && exit 0
data="$out.tmp"
rm -rf "$data"
for name in "${real_sources[@]}"; do
  if [ ! -d "$checkouts/$name" ]; then
    echo "$name: no checkout in $checkouts; skipped" >&2
    continue
  fi
  declare "$name=$checkouts/$name"
  import_source "$data" "$name" --json 2>/dev/null | python3 -c 'import json, sys; r = json.load(sys.stdin); print("%s: %d clips of %d speakers; refused %d validation and %d testing clips; %d unreadable, %d left out" % (sys.argv[1], r["imported"], len(r["speakers"]), r["refused_validation"], r["refused_test"], r["unreadable"], r["left_out"]))' "$name"
done
mv "$data" "$out"
