#!/usr/bin/env bash
# Times the nine variants in C# (TorchSharp) and in PyTorch on this machine and writes bench/results/models.md.
# Usage (repository root, after a Release build): bench/run_models_benchmark.sh [--batch 64 --iterations 2 ...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$root/out/bench
mkdir -p "$work"
args=(--batch 64 --warmup 1 --iterations 2 --threads 2 "$@")
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
dotnet "$root/bench/TfCrnn.Bench/bin/Release/net10.0/TfCrnn.Bench.dll" models "${args[@]}" > "$work/csharp.json"
load_middle=$(cut -d' ' -f1-3 /proc/loadavg)
/usr/bin/python3 "$root/bench/pytorch/benchmark_models.py" "${args[@]}" > "$work/pytorch.json"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
note="Measured $(date -u +%Y-%m-%d) on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)),"
note+=" TorchSharp 0.107.0 (libtorch 2.10 CPU), PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)') (Debian);"
note+=" 1 warm-up + ${args[5]} timed iterations (options: ${args[*]}). The machine is shared with other engineers' builds"
note+=" and tests: 1/5/15-minute load averages were $load_before before, $load_middle between and $load_after after the"
note+=" runs, with load averages of 8 to 16 on 2 cores single numbers can be off by a factor of two or more (e.g. crnn-basic vs crnn-se), so treat the table as a rough comparison, not a measurement; rerun `bench/run_models_benchmark.sh` on a quiet machine for real numbers."
/usr/bin/python3 "$root/bench/pytorch/write_models_report.py" "$work/csharp.json" "$work/pytorch.json" \
  "$root/bench/results/models.md" "$note"
