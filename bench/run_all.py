"""Measures every performance figure of tfcrnn against PyTorch on this machine and writes bench/RESULTS.md.

Run through bench/run_all.sh (it builds first). Each row runs the same work in tfcrnn (C#, TorchSharp) and in
PyTorch (bench/pytorch/reference_bench.py, the models of tfcrnn_reference.py), one after the other, and records:
wall time, process CPU time, peak resident memory (/usr/bin/time), and the CPU time that *other* processes used
meanwhile (from /proc/stat): a row during which other work kept more than a quarter of a core busy is marked
as measured under load. The fractions of peak divide the model's arithmetic rate by the machine's matrix-multiply
rate on the same threads (libtorch GEMM, `TfCrnn.Bench gemm`).
"""
import argparse
import datetime
import json
import os
import platform
import shlex
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH_DLL = os.path.join(ROOT, "bench/TfCrnn.Bench/bin/Release/net10.0/TfCrnn.Bench.dll")
CLI = os.path.join(ROOT, "src/TfCrnn.Cli/bin/Release/net10.0/TfCrnn.Cli")
PYTHON = "/usr/bin/python3"
REFERENCE = os.path.join(ROOT, "bench/pytorch/reference_bench.py")
LOAD_LIMIT_CORES = 0.25


def busy_seconds():
    """CPU seconds all processes have used since boot (user, nice, system, irq, softirq, steal)."""
    with open("/proc/stat") as f:
        fields = [int(v) for v in f.readline().split()[1:]]
    return (fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + fields[7]) / os.sysconf("SC_CLK_TCK")


def load_average():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def measure(command, work):
    """Runs command under /usr/bin/time; returns its JSON line (if any) plus wall, cpu, peak RSS and foreign load."""
    timing = os.path.join(work, "time.txt")
    busy_before, start = busy_seconds(), time.perf_counter()
    completed = subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M", "-o", timing, *command],
                               capture_output=True, text=True, cwd=ROOT)
    wall, busy_after = time.perf_counter() - start, busy_seconds()
    if completed.returncode != 0:
        sys.exit(f"error: {shlex.join(command)} failed ({completed.returncode}):\n{completed.stderr[-2000:]}")
    with open(timing) as f:
        elapsed, user, system, rss_kb = f.read().split()[-4:]
    cpu = float(user) + float(system)
    try:
        result = json.loads(completed.stdout)
    except json.JSONDecodeError:  # progress or notes before a JSON line
        lines = [line for line in completed.stdout.splitlines() if line.startswith("{")]
        result = json.loads(lines[-1]) if lines else {}
    if not isinstance(result, dict):
        result = {}
    result.update({"wall": float(elapsed), "cpu": cpu, "rss_mb": int(rss_kb) / 1024,
                   "foreign_cores": max(0.0, (busy_after - busy_before - cpu) / wall), "command": shlex.join(command)})
    return result


def best_of(runs, command, work):
    """The fastest of `runs` runs (and the most load any of them saw)."""
    results = [measure(command, work) for _ in range(runs)]
    best = min(results, key=lambda r: r["wall"])
    best["foreign_cores"] = max(r["foreign_cores"] for r in results)
    best["runs"] = runs
    return best


def find_reference_weights():
    """shared/fixtures/reference/tfcrnn-resse.pt in the nearest folder above the repository that has one."""
    current = os.path.dirname(ROOT)
    while True:
        candidate = os.path.join(current, "shared/fixtures/reference/tfcrnn-resse.pt")
        if os.path.exists(candidate):
            return candidate
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def prepare(work, clips_per_word):
    """The dataset (synthetic, the 35 words × clips_per_word, no other words) and the full-width tfcrnn-resse model folder."""
    data = os.path.join(work, f"data{clips_per_word}")
    if not os.path.isdir(data):
        print(f"synthesising {35 * clips_per_word} clips ...", flush=True)
        subprocess.run([CLI, "synth", "--out", data, "--clips-per-word", str(clips_per_word), "--seed", "0",
                        "--non-keyword-words", "0", "--background-noise-seconds", "0"],
                       check=True, cwd=ROOT, capture_output=True)
    weights = find_reference_weights()
    source = "the reference fixture's weights"
    if weights is None:
        weights, source = os.path.join(work, "random-tfcrnn-resse.pt"), "random weights (the reference fixture was not found)"
        subprocess.run([PYTHON, "-c", "import sys, torch; sys.path.insert(0, 'bench/pytorch'); from tfcrnn_reference import Model; "
                        f"torch.manual_seed(0); torch.save(Model('tfcrnn-resse').state_dict(), {weights!r})"], check=True, cwd=ROOT)
    model = os.path.join(work, "model")
    if not os.path.isdir(model):
        subprocess.run([CLI, "import", "--from-pytorch", weights, "--model", "tfcrnn-resse", "--out", model],
                       check=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return data, weights, source, model


def macs(width):
    info = json.loads(subprocess.run([CLI, "info", "--json", "--width", str(width)], check=True, cwd=ROOT,
                                     capture_output=True, text=True).stdout)
    row = next(r for r in info if r["model"] == "tfcrnn-resse")
    return row["macs"], row["steps"]


def agreement(ours_csv, theirs_csv):
    """Share of clips that tfcrnn's predictions.csv and reference_bench's predictions file predict alike."""
    def read(path, file_column, predicted_column, skip_header):
        with open(path) as f:
            rows = [line.rstrip("\n").split(",") for line in f][1 if skip_header else 0:]
        return {r[file_column].strip('"'): r[predicted_column] for r in rows}
    ours, theirs = read(ours_csv, 0, 2, True), read(theirs_csv, 0, 2, False)
    return sum(ours[k] == theirs.get(k) for k in ours) / len(ours)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=os.path.join(ROOT, "bench/RESULTS.md"))
    parser.add_argument("--clips-per-word", type=int, default=9)
    parser.add_argument("--runs", type=int, default=2, help="runs per eval row; the fastest counts")
    args = parser.parse_args()
    work = os.path.join(ROOT, "out/bench-all")
    os.makedirs(work, exist_ok=True)
    started, load_before = datetime.datetime.now(), load_average()
    print(f"load average before: {load_before}", flush=True)

    data, weights, weights_source, model = prepare(work, args.clips_per_word)
    full_macs, steps = macs(128)
    small_macs, _ = macs(16)
    gemm2 = measure(["dotnet", BENCH_DLL, "gemm", "--threads", "2"], work)
    gemm1 = measure(["dotnet", BENCH_DLL, "gemm", "--threads", "1"], work)
    native_bf16 = gemm2["bf16_native"]
    precisions = ["fp32", "bf16"] if native_bf16 else ["fp32"]
    rows = []

    def row(figure, precision, ours, theirs, unit, value, flops, peak, better="higher"):
        rows.append({"figure": figure, "precision": precision, "ours": ours, "theirs": theirs, "unit": unit,
                     "value": value, "flops": flops, "peak": peak, "better": better})
        print(f"{figure} [{precision}]: tfcrnn {value(ours):.3g} {unit}, PyTorch {value(theirs):.3g} {unit}", flush=True)

    # Eval: the whole process, 2 threads, batch 64, every clip of the dataset.
    for precision in precisions:
        predictions = os.path.join(work, f"pytorch-{precision}.csv")
        ours = best_of(args.runs, [CLI, "eval", "--checkpoint", model, "--data", data, "--split", "all", "--batch-size", "64",
                                   "--threads", "2", "--precision", precision, "--out", os.path.join(work, f"eval-{precision}"),
                                   "--json"], work)
        theirs = best_of(args.runs, [PYTHON, REFERENCE, "eval", "--data", data, "--weights", weights, "--batch", "64",
                                     "--threads", "2", "--precision", precision, "--predictions", predictions], work)
        ours["clips"] = theirs["clips"]
        ours["agreement"] = agreement(os.path.join(work, f"eval-{precision}/predictions.csv"), predictions)
        row("eval, whole process (clips/s)", precision, ours, theirs, "clips/s", lambda r: r["clips"] / r["wall"],
            lambda r: 2.0 * full_macs * r["clips"] / r["wall"], gemm2)

    # Training step: width 128, batch 64, 2 threads, random clips, SGD Nesterov update.
    ours = measure(["dotnet", BENCH_DLL, "train-step", "--width", "128", "--batch", "64", "--threads", "2", "--warmup", "1",
                    "--steps", "3"], work)
    theirs = measure([PYTHON, REFERENCE, "train-step", "--width", "128", "--batch", "64", "--threads", "2", "--warmup", "1",
                      "--steps", "3"], work)
    row("training step, batch 64 (s)", "fp32", ours, theirs, "s", lambda r: r["seconds_per_step"],
        lambda r: 3 * 2.0 * full_macs * 64 / r["seconds_per_step"], gemm2, better="lower")

    # Streaming: one 100 ms step at batch 1 on one thread, full width and the quickstart's width 16.
    for precision in precisions:
        for width, step_macs, extra in ((128, full_macs / steps, ["--checkpoint", model]), (16, small_macs / steps, ["--width", "16"])):
            ours = measure(["dotnet", BENCH_DLL, "step", *extra, "--threads", "1", "--steps", "300", "--precision", precision], work)
            py_extra = ["--weights", weights] if width == 128 else ["--width", "16"]
            theirs = measure([PYTHON, REFERENCE, "step", *py_extra, "--threads", "1", "--steps", "300", "--precision", precision], work)
            row(f"streaming step, width {width}, batch 1, 1 thread (ms)", precision, ours, theirs, "ms", lambda r: r["median_ms"],
                lambda r, m=step_macs: 2.0 * m / (r["median_ms"] / 1000), gemm1, better="lower")

    load_after = load_average()
    print(f"load average after: {load_after}", flush=True)
    write(args.out, rows, started, load_before, load_after, gemm1, gemm2, weights_source, data, native_bf16)
    print(f"wrote {args.out} in {(datetime.datetime.now() - started).seconds} s", flush=True)


def write(path, rows, started, load_before, load_after, gemm1, gemm2, weights_source, data, native_bf16):
    def peak_rate(gemm, precision):
        return gemm.get(f"{precision}_gflops", gemm["fp32_gflops"]) * 1e9

    def flag(r):
        return f" ⚠ load {r['foreign_cores']:.1f}" if r["foreign_cores"] > LOAD_LIMIT_CORES else ""

    torch_version = subprocess.run([PYTHON, "-c", "import torch; print(torch.__version__)"], capture_output=True, text=True).stdout.strip()
    lines = [
        "# Performance: tfcrnn against PyTorch on one machine",
        "",
        "The one table of tfcrnn's performance figures, written by `bench/run_all.sh` (the numbers below are from its last",
        "run; rerun it to reproduce them). Model: full-width `tfcrnn-resse` (width 128, hidden 256, 9 steps of 200 ms",
        f"windows) with {weights_source}, and the quickstart's width 16 for the second streaming row. tfcrnn is the C#",
        "library (TorchSharp 0.107.0, libtorch 2.10); PyTorch is `bench/pytorch/reference_bench.py` on the models of",
        f"`bench/pytorch/tfcrnn_reference.py` (PyTorch {torch_version}, Debian's python3-torch), same weights, same data.",
        "",
        "| figure | precision | tfcrnn | PyTorch | tfcrnn / PyTorch speed | % of peak, tfcrnn / PyTorch | peak RSS, tfcrnn / PyTorch | load |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in rows:
        ours, theirs = r["value"](r["ours"]), r["value"](r["theirs"])
        speed = ours / theirs if r["better"] == "higher" else theirs / ours
        peak = peak_rate(r["peak"], r["precision"])
        fraction = f"{100 * r['flops'](r['ours']) / peak:.0f} % / {100 * r['flops'](r['theirs']) / peak:.0f} %"
        rss = f"{r['ours']['rss_mb']:.0f} / {r['theirs']['rss_mb']:.0f} MB"
        load = (flag(r["ours"]) + flag(r["theirs"])).strip() or "quiet"
        lines.append(f"| {r['figure']} | {r['precision']} | {ours:.3g} | {theirs:.3g} | {speed:.2f}× | {fraction} | {rss} | {load} |")
    evals = [r for r in rows if r["figure"].startswith("eval")]
    lines += [
        "",
        "Speed above 1: tfcrnn faster. *% of peak*: the model's multiply-adds × 2 per second (training: forward and",
        "backward, 3 × the forward) over the machine's matrix-multiply rate on the same threads, measured by",
        f"`TfCrnn.Bench gemm`: {gemm2['fp32_gflops']:.0f} GFLOP/s on 2 threads and {gemm1['fp32_gflops']:.0f} on 1 (fp32)"
        + (f", {gemm2['bf16_gflops']:.0f} and {gemm1['bf16_gflops']:.0f} in bf16." if native_bf16 else ".")
        + " *load*: quiet, or ⚠ with the cores that other processes kept busy during the row (rows marked so are not",
        "comparable). Agreement of the eval predictions with PyTorch's: "
        + ", ".join(f"{r['precision']} {100 * r['ours']['agreement']:.1f} %" for r in evals) + ".",
        "",
        "bf16 rows appear only on CPUs with native bfloat16 (AVX-512 BF16 or AMX); elsewhere `--precision bf16` is refused"
        if not native_bf16 else
        "bf16: tfcrnn runs the convolutions in bfloat16 (excitations, GRU and classifier in float32); PyTorch uses",
        "(this CPU has neither, so there are none here)." if not native_bf16 else "`torch.autocast('cpu', torch.bfloat16)`.",
        "",
        "## Rows and commands",
        "",
    ]
    for r in rows:
        lines.append(f"- {r['figure']}, {r['precision']}:")
        for side in ("ours", "theirs"):
            x = r[side]
            lines.append(f"  - `{x['command'].replace(ROOT + '/', '')}` — wall {x['wall']:.1f} s, CPU {x['cpu']:.1f} s, "
                         f"peak RSS {x['rss_mb']:.0f} MB, other processes {x['foreign_cores']:.2f} cores")
    lines += [
        "",
        "## Conditions",
        "",
        f"- Date: {started:%Y-%m-%d %H:%M}; run time {(datetime.datetime.now() - started).seconds // 60} min.",
        f"- CPU: {gemm2['cpu_model']}, {os.cpu_count()} logical CPUs, {gemm2['physical_cores']} physical cores; "
        f"native bfloat16: {'yes' if native_bf16 else 'no'}; {platform.platform()}.",
        f"- Load average (1, 5, 15 min): {load_before} before, {load_after} after.",
        f"- Data: `{os.path.relpath(data, ROOT)}` (`tfcrnn synth`), every clip; eval rows keep the fastest of their runs.",
        "- Eval is the whole process, as a user runs it: start-up, model load, reading the WAV files (tfcrnn: its clip",
        "  cache), the forward passes, and (tfcrnn) the report files. Training steps run on random clips after one",
        "  warm-up step; streaming steps are the median of 300 after 10 warm-up steps.",
    ]
    # Measured apart (the cap needs a CPU with AVX-512; the baselines, `TfCrnn.Bench baselines`, take long), kept in
    # every rewrite of this file.
    for part in ("avx512-cap.md", "baselines.md"):
        with open(os.path.join(ROOT, "bench/results", part)) as f:
            lines += ["", f.read().rstrip("\n")]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
