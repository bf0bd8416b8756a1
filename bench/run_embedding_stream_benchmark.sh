#!/usr/bin/env bash
# The streaming cost of a head over the speech embedding with the real encoder, whole process, one thread (issue 33:
# real-time factor ≤ 0.05), as bench/RESULTS.md reports it: `tfcrnn stream` on a 3-minute recording, for the export
# folder, the checkpoint on ONNX Runtime (auto) and on TorchSharp, each also on one second (the start-up's share).
# Usage (repository root, encoder installed: ./tfcrnn encoder install): bench/run_embedding_stream_benchmark.sh
# The head is trained for a minute on a tiny synthetic set: its weights do not change the cost (hidden 64, one cell).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$root/out/bench-embed
cli=$root/src/TfCrnn.Cli/bin/Release/net10.0/TfCrnn.Cli
"$root/tfcrnn" encoder path >/dev/null
[ -f "$work/stream3/labels.csv" ] || "$root/tfcrnn" synth --stream --minutes 3 --seed 34 --out "$work/stream3" --threads 1
[ -d "$work/data/train" ] || "$root/tfcrnn" synth --seed 33 --clips-per-word 4 --non-keyword-words 10 --background-noise-seconds 10 \
  --held-out-clips-per-word 1 --threads 1 --out "$work/data"
[ -f "$work/head60/result.json" ] || "$cli" train --data "$work/data" --model embedding-tfgru --out "$work/head60" --max-epochs 60 \
  --threads 1 --optimizer adam --lr 0.01 --embedding-cache "$work/cache" --seed 7
[ -f "$work/head60-onnx/step.onnx" ] || "$cli" export --checkpoint "$work/head60" --out "$work/head60-onnx"
python3 - "$work/stream3/stream.wav" "$work/one-second.wav" <<'PY'
import sys, wave
source = wave.open(sys.argv[1])
one = wave.open(sys.argv[2], 'wb')
one.setparams(source.getparams())
one.writeframes(source.readframes(source.getframerate()))
one.close()
PY
for model in "--checkpoint $work/head60-onnx" "--checkpoint $work/head60" "--checkpoint $work/head60 --engine torch"; do
  for wav in "$work/one-second.wav" "$work/stream3/stream.wav"; do
    before=$(cut -d' ' -f1-3 /proc/loadavg)
    # shellcheck disable=SC2086
    timing=$( { /usr/bin/time -f "wall %e s, user %U s, sys %S s, peak RSS %M KB" "$cli" stream $model --threads 1 --json "$wav" >/dev/null; } 2>&1 | tail -n 1)
    echo "stream $model --threads 1 --json $wav: $timing; load average $before before, $(cut -d' ' -f1-3 /proc/loadavg) after"
  done
done
