#!/usr/bin/env bash
# Training throughput (clips/s) of tfcrnn's Trainer vs a PyTorch script of the same model and recipe, on this
# machine, and writes bench/results/training.md. Needs a Speech Commands-layout dataset with at least
# 22 × 64 training clips (default: the quickstart's synthetic set, out/quickstart/data).
# Usage (repository root, after a Release build): bench/run_training_benchmark.sh [DATA]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
data=${1:-$root/out/quickstart/data}
work=$root/out/bench
mkdir -p "$work"
: > "$work/training.jsonl"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for model in tfcrnn-resse crnn-resse; do
  for width in 16 32; do
    args=(--data "$data" --model "$model" --width "$width" --batch 64 --threads 2 --warmup 2 --batches 20)
    dotnet "$root/bench/TfCrnn.Bench/bin/Release/net10.0/TfCrnn.Bench.dll" training "${args[@]}" 2>/dev/null | tail -1 >> "$work/training.jsonl"
    /usr/bin/python3 "$root/bench/pytorch/train_throughput.py" "${args[@]}" >> "$work/training.jsonl"
  done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
/usr/bin/python3 - "$work/training.jsonl" "$root/bench/results/training.md" "$load_before" "$load_after" \
  "$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs))" <<'PY'
import json, sys, datetime
rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
ours = [r for r in rows if r["framework"].startswith("tfcrnn")]
theirs = [r for r in rows if r["framework"].startswith("pytorch")]
lines = [
    "# Training throughput: tfcrnn's Trainer vs PyTorch",
    "",
    "Clips per second of training (batch 64, 2 threads, CPU), timed over 20 batches after 2 warm-up batches. Same model",
    "(`TfCrnn.Models` vs `bench/pytorch/tfcrnn_reference.py`) and recipe: SGD Nesterov 0.9, lr 0.025, shuffled batches",
    "with the ±80-sample shift augmentation, many-to-many loss, train mode. The C# side is `Trainer` itself (data loader,",
    "augmentation, dispose scopes, optimizer) timed between its progress reports (`TfCrnn.Bench training`); the PyTorch",
    "side is `bench/pytorch/train_throughput.py` with the clips preprocessed in memory.",
    "",
    "| model | width | tfcrnn clips/s | PyTorch clips/s | ratio |",
    "| --- | ---: | ---: | ---: | ---: |",
]
for a, b in zip(ours, theirs):
    lines.append(f"| {a['model']} | {a['width']} | {a['clips_per_second']:.1f} | {b['clips_per_second']:.1f} | {a['clips_per_second'] / b['clips_per_second']:.2f} |")
lines += [
    "",
    "Ratio = tfcrnn / PyTorch (above 1: tfcrnn faster).",
    "",
    f"Measured {datetime.date.today()} on {sys.argv[5]}: {ours[0]['framework']} (libtorch 2.10 CPU) vs {theirs[0]['framework']} (Debian).",
    f"1/5/15-minute load averages: {sys.argv[3]} before, {sys.argv[4]} after. The machine is shared with other engineers'",
    "builds and tests, so single rows can be off when a neighbour starts work during a pair; rerun",
    "`bench/run_training_benchmark.sh` on a quiet machine for firm numbers.",
]
open(sys.argv[2], "w").write("\n".join(lines) + "\n")
PY
cat "$root/bench/results/training.md"
