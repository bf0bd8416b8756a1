#!/usr/bin/env bash
# State policies, smoothing, threshold and refractory time of streaming recognition, measured (bench/results/streaming.md).
# Usage (repository root, after a Release build of the CLI and bench/TfCrnn.Bench): bench/run_streaming_benchmark.sh RUN...
# where each RUN is a model trained on the default synthetic dataset (e.g. out/quickstart/tfcrnn-resse). The streams
# are made once, with seeds the dataset does not use: 6 minutes of keywords among other speech and 30 minutes of
# other speech and noise only.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$root/out/bench/streams
[ -f "$work/kw/labels.csv" ] || "$root/tfcrnn" synth --stream --minutes 6 --seed 101 --out "$work/kw"
[ -f "$work/none/labels.csv" ] || "$root/tfcrnn" synth --stream --minutes 30 --no-keywords --seed 103 --out "$work/none"
checkpoints=()
for run in "$@"; do checkpoints+=(--checkpoint "$run"); done
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
dotnet "$root/bench/TfCrnn.Bench/bin/Release/net10.0/TfCrnn.Bench.dll" streaming "${checkpoints[@]}" \
  --keywords "$work/kw" --none "$work/none" --threads 1
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
