#!/usr/bin/env python3
"""Soak bench: recordings of any length in constant memory (issue 34).

    bench/soak/run_soak.py --stream DIR [--hours 2] [--compare-minutes 60] [--base-cli PATH] [--out out/soak]

DIR holds a labelled recording as `tfcrnn synth --stream` writes it (stream.wav, 16 kHz mono 16-bit, and
labels.csv); the bench repeats it into longer ones (labels shifted). With the default model (models/default) it runs,
each command under `nice -n 10`:

1. `tfcrnn stream --json -` fed the --hours recording on stdin as `cat FILE |` does, a minute of audio at a time, the
   process's resident memory (VmRSS) read after every minute of audio written (the pipe holds 2 s more at most):
   the slope of a least-squares line through the minutes from the tenth on, in MB per hour of audio.
2. The peak resident memory (ru_maxrss of the process) of `tfcrnn stream FILE` and `tfcrnn stream-eval --out` on the
   recording (10 minutes) and on repeats of it (--compare-minutes, --hours), for this checkout's build and, with
   --base-cli, for another build side by side (e.g. main, built in its own worktree).
3. `TfCrnn.Bench runtime-pushes`: TfCrnn.Runtime's StreamingRecognizer with the default model exported to ONNX, over
   10,000 pushes of 10 ms: time per push and resident memory.

Prints a Markdown table and writes the raw figures to OUT/soak.json. Needs the CLI and the bench built in Release
(`dotnet build src/TfCrnn.Cli -c Release`, `dotnet build bench/TfCrnn.Bench -c Release`).
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLI = ROOT / "src/TfCrnn.Cli/bin/Release/net10.0/TfCrnn.Cli"
BENCH = ROOT / "bench/TfCrnn.Bench/bin/Release/net10.0/TfCrnn.Bench"
MODEL = ROOT / "models/default"


def nice():
    os.nice(10)


def load():
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def repeat(stream_dir: Path, times: int, out: Path) -> Path:
    """stream.wav and labels.csv of stream_dir, `times` times one after another, in out/."""
    out.mkdir(parents=True, exist_ok=True)
    wav, labels = out / "stream.wav", out / "labels.csv"
    if wav.exists() and labels.exists():
        return out
    with wave.open(str(stream_dir / "stream.wav")) as source:
        params, frames = source.getparams(), source.readframes(source.getnframes())
    seconds = params.nframes / params.framerate
    with wave.open(str(wav), "wb") as target:
        target.setparams(params)
        for _ in range(times):
            target.writeframes(frames)
    rows = (stream_dir / "labels.csv").read_text().splitlines()
    with labels.open("w") as f:
        f.write(rows[0] + "\n")
        for k in range(times):
            for row in rows[1:]:
                start, end, word = row.split(",")
                f.write(f"{float(start) + k * seconds:.3f},{float(end) + k * seconds:.3f},{word}\n")
    return out


def run(command, stdin=None):
    """Runs command niced; returns (exit status, peak RSS in MB, wall seconds, stdout)."""
    started = time.monotonic()
    with open(os.devnull, "wb") as null:
        process = subprocess.Popen(command, stdin=stdin, stdout=subprocess.PIPE, stderr=null, preexec_fn=nice)
        stdout = process.stdout.read()
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, usage.ru_maxrss / 1024, time.monotonic() - started, stdout.decode()


def rss_mb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def slope(points):
    """Least-squares slope of [(x, y)]."""
    mx = sum(x for x, _ in points) / len(points)
    my = sum(y for _, y in points) / len(points)
    return sum((x - mx) * (y - my) for x, y in points) / sum((x - mx) ** 2 for x, _ in points)


def soak_stdin(cli: Path, wav: Path):
    """`stream --json -` fed wav a minute at a time; VmRSS after every minute."""
    started = time.monotonic()
    with wave.open(str(wav)) as source, open(wav, "rb") as raw:
        header = raw.read(44)
        per_minute = source.getframerate() * 60
        process = subprocess.Popen([str(cli), "stream", "--json", "-"], stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, preexec_fn=nice)
        lines = []
        reader = threading.Thread(target=lambda: lines.extend(process.stdout.read().splitlines()))
        reader.start()
        process.stdin.write(header)
        samples = []
        minute = 0
        while frames := source.readframes(per_minute):
            process.stdin.write(frames)
            process.stdin.flush()
            minute += 1
            samples.append((minute, rss_mb(process.pid)))
        process.stdin.close()
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        reader.join()
    return {
        "exit": process.returncode, "minutes": minute, "detections": len(lines),
        "rss_mb": [round(r, 1) for _, r in samples], "peak_rss_mb": usage.ru_maxrss / 1024,
        "slope_mb_per_hour_from_minute_10": slope([p for p in samples if p[0] >= 10]) * 60,
        "slope_mb_per_hour_all": slope(samples) * 60,
        "wall_seconds": time.monotonic() - started,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stream", type=Path, help="a folder of `tfcrnn synth --stream` (10 minutes)")
    parser.add_argument("--hours", type=float, default=2)
    parser.add_argument("--compare-minutes", type=int, default=60, help="the length both builds run at besides the recording's")
    parser.add_argument("--base-cli", type=Path, help="the TfCrnn.Cli of another build to compare with")
    parser.add_argument("--base-name", default="main")
    parser.add_argument("--out", type=Path, default=ROOT / "out/soak")
    parser.add_argument("--skip-soak", action="store_true")
    parser.add_argument("--table", type=Path, help="print the table of a soak.json written before, and nothing else")
    args = parser.parse_args()
    if args.table:
        print_table(json.loads(args.table.read_text()))
        return

    with wave.open(str(args.stream / "stream.wav")) as w:
        minutes = w.getnframes() / w.getframerate() / 60
    long_times = round(args.hours * 60 / minutes)
    compare_times = round(args.compare_minutes / minutes)
    recordings = {f"{minutes:.0f} min": args.stream,
                  f"{compare_times * minutes:.0f} min": repeat(args.stream, compare_times, args.out / f"stream{compare_times}x"),
                  f"{long_times * minutes:.0f} min": repeat(args.stream, long_times, args.out / f"stream{long_times}x")}
    results = {"load_before": load(), "started": time.strftime("%Y-%m-%d %H:%M"), "peaks": [], "recordings": {k: str(v) for k, v in recordings.items()}}
    print(f"load average {results['load_before']}", file=sys.stderr)

    if not args.skip_soak:
        long_name = list(recordings)[-1]
        print(f"stream - fed {long_name}", file=sys.stderr)
        results["soak"] = soak_stdin(CLI, recordings[long_name] / "stream.wav")
        results["soak"]["recording"] = long_name
        print(json.dumps(results["soak"]), file=sys.stderr)

    builds = [("this branch", CLI)] + ([(args.base_name, args.base_cli)] if args.base_cli else [])
    for length, folder in recordings.items():
        for build, cli in builds:
            # The other build runs the recording and the comparison length only.
            if build != "this branch" and length not in list(recordings)[:2]:
                continue
            wav, labels = folder / "stream.wav", folder / "labels.csv"
            evaluation = args.out / "eval-out"
            shutil.rmtree(evaluation, ignore_errors=True)
            for verb, command in [("stream FILE", [str(cli), "stream", "--json", str(wav)]),
                                  ("stream-eval", [str(cli), "stream-eval", "--checkpoint", str(MODEL), "--audio", str(wav),
                                                   "--labels", str(labels), "--json", "--out", str(evaluation)])]:
                status, peak, wall, stdout = run(command)
                row = {"build": build, "verb": verb, "recording": length, "exit": status, "peak_rss_mb": round(peak, 1),
                       "wall_seconds": round(wall, 1), "load_after": load()}
                if verb == "stream FILE":
                    row["detections"] = len(stdout.splitlines())
                else:
                    report = json.loads(stdout)
                    row.update({k: report[k] for k in ("precision", "recall", "f1", "false_alarms_per_hour", "detections")})
                results["peaks"].append(row)
                print(json.dumps(row), file=sys.stderr)

    exported = args.out / "exported"
    if not (exported / "step.onnx").exists():
        subprocess.run([str(CLI), "export", "--checkpoint", str(MODEL), "--out", str(exported)], check=True,
                       stdout=subprocess.DEVNULL, preexec_fn=nice)
    status, peak, wall, stdout = run([str(BENCH), "runtime-pushes", "--exported", str(exported), "--pushes", "10000", "--samples", "160"])
    results["runtime"] = json.loads(stdout.strip().splitlines()[-1])
    results["load_after"] = load()
    (args.out / "soak.json").write_text(json.dumps(results, indent=1))
    print_table(results)


def print_table(results):
    peaks = results["peaks"]
    builds = list(dict.fromkeys(p["build"] for p in peaks))
    print("| run | recording | " + " | ".join(f"peak RSS, {b} (MB)" for b in builds) + " | wall (s), " + " / ".join(builds) + " | result |")
    print("| --- | --- | " + " | ".join("---:" for _ in builds) + " | ---: | --- |")
    blank = " | ".join("" for _ in builds)
    if "soak" in results:
        s = results["soak"]
        print(f"| `stream -` fed on stdin a minute at a time, VmRSS after every minute | {s['recording']} | {s['peak_rss_mb']:.0f} | "
              f"{blank[3:] if len(builds) > 1 else ''}{' | ' if len(builds) > 1 else ''}{s['wall_seconds']:.0f} | VmRSS {s['rss_mb'][0]:.0f} MB after minute 1, "
              f"{s['rss_mb'][9]:.0f} after 10, {s['rss_mb'][-1]:.0f} after {s['minutes']}: least-squares slope "
              f"{s['slope_mb_per_hour_from_minute_10']:+.1f} MB/h from minute 10 ({s['slope_mb_per_hour_all']:+.1f} over all); "
              f"{s['detections']} detections |")
    for verb in dict.fromkeys(p["verb"] for p in peaks):
        for recording in dict.fromkeys(p["recording"] for p in peaks):
            cells, walls, results_ = [], [], set()
            for build in builds:
                row = next((p for p in peaks if (p["build"], p["verb"], p["recording"]) == (build, verb, recording)), None)
                if row is None:
                    cells.append("")
                    walls.append("–")
                    continue
                first = next(p for p in peaks if p["build"] == build and p["verb"] == verb)
                ratio = row["peak_rss_mb"] / first["peak_rss_mb"]
                cells.append(f"{row['peak_rss_mb']:.0f}" + ("" if row is first else f" ({ratio:.2f}× {first['recording']})"))
                walls.append(f"{row['wall_seconds']:.0f}")
                results_.add(f"{row['detections']} detections" if verb == "stream FILE"
                             else f"F1 {row['f1']:.3f}, {row['detections']} detections")
            result = results_.pop() if len(results_) == 1 else " vs ".join(sorted(results_))
            print(f"| `{verb}` | {recording} | " + " | ".join(cells) + f" | {' / '.join(walls)} | {result} |")
    r = results["runtime"]
    print(f"| runtime `StreamingRecognizer.Push` on ONNX Runtime (the default model exported), {r['pushes']:,} pushes of "
          f"{r['samples_per_push']} samples | {r['audio_seconds']:.0f} s | {r['peak_rss_mb']:.0f} | "
          f"{blank[3:] if len(builds) > 1 else ''}{' | ' if len(builds) > 1 else ''}{r['ms_per_push_mean'] * r['pushes'] / 1000:.1f} | "
          f"{r['ms_per_push_mean']:.3f} ms a push on average, {r['ms_per_step']:.2f} ms of pushing per decision step "
          f"({r['steps']:,} steps; the median push, which completes none, {r['ms_per_push_median'] * 1000:.1f} µs); VmRSS "
          f"{r['rss_mb_every'][0]:.1f} MB after 1,000 pushes, {r['rss_mb_every'][-1]:.1f} after {r['pushes']:,}: slope "
          f"{r['rss_slope_mb_per_1000_pushes']:+.3f} MB per 1,000 pushes |")

if __name__ == "__main__":
    main()
