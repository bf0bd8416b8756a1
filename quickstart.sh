#!/usr/bin/env bash
# The main job on the embedded default: installs espeak-ng if missing, synthesises the
# espeak-ng Speech Commands set, trains a reduced TF-CRNN and its CRNN, evaluates both and
# writes out/quickstart/report.md. Extra arguments go to `tfcrnn quickstart`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$root/scripts/install-deps.sh"
exec "$root/tfcrnn" quickstart --out "$root/out/quickstart" "$@"
