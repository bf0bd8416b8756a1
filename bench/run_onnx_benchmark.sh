#!/usr/bin/env bash
# TorchSharp against ONNX Runtime on the same weights, one thread each: load time, streaming real-time factor,
# batched clip throughput, and peak memory (each engine in its own process). Writes bench/results/onnx.md.
# Usage (repository root): bench/run_onnx_benchmark.sh [VARIANT:WIDTH ...]   (default: tfcrnn-resse:16 tfcrnn-resse:128 crnn-resse:16 cnn-resse:16)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$root/out/bench/onnx
rm -rf "$work"; mkdir -p "$work"
dotnet build "$root/bench/TfCrnn.Bench" -c Release -nologo -v q -clp:ErrorsOnly >&2
bench=(dotnet "$root/bench/TfCrnn.Bench/bin/Release/net10.0/TfCrnn.Bench.dll")
models=("$@"); [ ${#models[@]} -gt 0 ] || models=(tfcrnn-resse:16 tfcrnn-resse:128 crnn-resse:16 cnn-resse:16)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
rows=()
for spec in "${models[@]}"; do
  variant=${spec%%:*}; width=${spec##*:}; dir=$work/$variant-$width
  "${bench[@]}" export-random --model "$variant" --width "$width" --out "$dir"
  for engine in torch onnx; do
    json=$(/usr/bin/time -f '%M' -o "$dir/$engine.rss" "${bench[@]}" engines --engine "$engine" --model "$dir/model" --exported "$dir/onnx" --seconds 30 --clips 128 --threads 1)
    rows+=("$width $(cat "$dir/$engine.rss") $json")
  done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
{
  echo "# Inference engines: TorchSharp vs ONNX Runtime"
  echo
  echo "Written by \`bench/run_onnx_benchmark.sh\` on $(date -u +%Y-%m-%d), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)),"
  echo "one intra-op thread per engine, random weights (speed does not depend on them). Load averages (1/5/15 min) were"
  echo "$load_before before and $load_after after: the machine was shared with other builds, so read ratios, not absolutes."
  echo
  echo "- load: seconds to open the model (TorchSharp: config + state dict; ONNX Runtime: step.onnx session)."
  echo "- stream RTF: processing time / audio time of the default streaming recognizer over 30 s of noise (all its lanes)."
  echo "- clips/s: whole-clip inference in batches of 64."
  echo "- peak RSS: the benchmark process's maximum resident memory (both measurements, one engine)."
  echo
  echo "| model | width | engine | load s | lanes | stream RTF | clips/s | peak RSS MB |"
  echo "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |"
  for row in "${rows[@]}"; do
    read -r width rss json <<<"$row"
    /usr/bin/python3 -c 'import json,sys; r=json.loads(sys.argv[3]); print("| %s | %s | %s | %.2f | %d | %.3f | %.1f | %.0f |" % (r["variant"], sys.argv[1], r["engine"], r["load_seconds"], r["lanes"], r["stream_rtf"], r["clips_per_second"], int(sys.argv[2])/1024))' "$width" "$rss" "$json"
  done
} > "$root/bench/results/onnx.md"
cat "$root/bench/results/onnx.md"
