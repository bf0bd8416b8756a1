#!/usr/bin/env bash
# Every performance figure of tfcrnn against PyTorch on this machine -> bench/RESULTS.md (under 15 minutes on 2 cores).
# Eval (whole process) clips/s and peak memory, training step time and peak memory, streaming step latency; fp32, and
# bf16 where the CPU has it natively. Prints the load average before and after; rows measured while other processes
# kept the CPUs busy are marked in the table. Run it on a quiet machine.
# Needs: the .NET SDK, espeak-ng (tfcrnn synth), and PyTorch for /usr/bin/python3 (Debian: apt-get install -y python3-torch).
# Usage (repository root or anywhere): bench/run_all.sh [--runs 2] [--clips-per-word 9] [--out bench/RESULTS.md]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  echo "error: PyTorch is missing for /usr/bin/python3; on Debian: apt-get install -y python3-torch" >&2
  exit 2
fi
if ! command -v espeak-ng >/dev/null; then
  echo "error: espeak-ng is missing (it synthesises the benchmark clips); on Debian: apt-get install -y espeak-ng" >&2
  exit 2
fi
echo "building (Release) ..."
dotnet build "$root/src/TfCrnn.Cli" -c Release -nologo -v q -clp:ErrorsOnly
dotnet build "$root/bench/TfCrnn.Bench" -c Release -nologo -v q -clp:ErrorsOnly
exec /usr/bin/python3 "$root/bench/run_all.py" "$@"
