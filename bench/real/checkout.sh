#!/usr/bin/env bash
# Checks out one real-speech source of sources.sh at the commit its clips were taken at, only its folder, from a clone
# of its repository (a path or URL: a bare mirror will do), into OUT:
#   bench/real/checkout.sh SOURCE REPOSITORY OUT       e.g. checkout.sh mini ~/src/IA-Reconocimiento-de-voz-con-HMM /data/checkouts/mini
# For the Speech Commands sources only the clips of training-split speakers are checked out: the hash rule
# (speaker_split.py) is applied to the file names that git lists, before any audio leaves git, so that no clip of a
# validation or testing speaker is ever read. OUT's HEAD is that commit (import-real records it). An OUT that exists is kept.
set -euo pipefail
if [ $# -ne 3 ]; then
  echo "usage: $0 SOURCE REPOSITORY OUT   (SOURCE: one of sources.sh's real_sources)" >&2
  exit 2
fi
name="$1" repository="$2" out="$3"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/sources.sh"
source_info "$name"
[ -d "$out" ] && exit 0
tmp="$out.tmp"
rm -rf "$tmp"
git clone -q --no-checkout "$repository" "$tmp"
list="$(mktemp)"
git -C "$tmp" ls-tree -r --name-only "$commit" -- "$from" > "$list"
if [ "$layout" = speech-commands ]; then
  python3 "$here/speaker_split.py" train-files < "$list" > "$list.keep"
  mv "$list.keep" "$list"
fi
git -C "$tmp" sparse-checkout set --no-cone --stdin < <(sed 's/[][*?!\\]/\\&/g; s#^#/#' "$list")
git -C "$tmp" -c advice.detachedHead=false checkout -q "$commit"
rm -f "$list"
mv "$tmp" "$out"
echo "$name: $(find "$out/$from" -type f | wc -l) files of $repo at ${commit:0:7} in $out"
