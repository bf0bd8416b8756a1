#!/usr/bin/env bash
# The main job on the embedded default: installs espeak-ng if missing, synthesises the
# espeak-ng Speech Commands set, trains a reduced TF-CRNN and its CRNN, evaluates both and
# writes out/quickstart/report.md, with the scores of both and of the shipped model on
# the vendored real-speech dev set (bench/real/dev). Extra arguments go to `tfcrnn quickstart`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$root/scripts/install-deps.sh"
real=()
if [ -d "$root/bench/real/dev" ]; then real=(--real "$root/bench/real/dev"); fi
exec "$root/tfcrnn" quickstart --out "$root/out/quickstart" "${real[@]}" "$@"
