"""The PyTorch side of bench/run_all.sh: the same measurements as TfCrnn.Bench and `tfcrnn eval`, on the models of
tfcrnn_reference.py (an independent implementation that reproduces the authors' fixtures).

  eval        --data DIR [--weights W.pt] [--width 128] [--batch 64] [--threads 2] [--precision fp32|bf16] [--predictions OUT]
              evaluates every clip of a Speech Commands-layout folder (word folders, sorted) in eval mode as the
              authors' test loop does: WAV files read and scaled, batches of 64, the last step's argmax.
  train-step  [--width 128] [--batch 64] [--threads 2] [--warmup 1] [--steps 3] [--precision fp32|bf16]
              one training step of the paper's recipe (train mode, many-to-many cross-entropy, SGD Nesterov) on random
              clips; seconds per step.
  step        [--width 128] [--hidden 256] [--threads 1] [--steps 200] [--precision fp32|bf16]
              one recurrent step (window and h(t-1) in, logits and h(t) out) at batch 1, eval mode; median latency.

Each prints one JSON object on stdout, with the process's peak resident memory (ru_maxrss).
"""
import argparse
import contextlib
import json
import os
import resource
import statistics
import sys
import time
import wave

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tfcrnn_reference import Model  # noqa: E402

SCALE, CLIP = 0.0860, 16000

LABELS = ["backward", "bed", "bird", "cat", "dog", "down", "eight", "five", "follow", "forward",
          "four", "go", "happy", "house", "learn", "left", "marvin", "nine", "no", "off",
          "on", "one", "right", "seven", "sheila", "six", "stop", "three", "tree", "two",
          "up", "visual", "wow", "yes", "zero"]


def read_clip(path):
    """A WAV file as the model's input: mono, scaled by 1 / 0.0860, centred and zero-padded to 16,000 samples."""
    with wave.open(path, "rb") as f:
        samples = np.frombuffer(f.readframes(f.getnframes()), dtype="<i2").astype(np.float32) / 32768.0
        samples = samples[:: f.getnchannels()][:CLIP]
    out = np.zeros(CLIP, np.float32)
    start = (CLIP - len(samples)) // 2
    out[start:start + len(samples)] = samples / SCALE
    return out


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def precision_context(precision):
    if precision == "bf16":
        return torch.autocast("cpu", dtype=torch.bfloat16)
    return contextlib.nullcontext()


def build(args, variant="tfcrnn-resse"):
    model = Model(variant, width=args.width, hidden=getattr(args, "hidden", 256))
    if getattr(args, "weights", None):
        model.load_state_dict(torch.load(args.weights))
    return model


def evaluate(args):
    model = build(args)
    model.eval()
    # Folders that are not one of the 35 words (other speech, _background_noise_) are skipped, as tfcrnn's loader does.
    words = sorted(d for d in os.listdir(args.data) if os.path.isdir(os.path.join(args.data, d)) and d in LABELS)
    items = [(f"{w}/{n}", LABELS.index(w)) for w in words
             for n in sorted(os.listdir(os.path.join(args.data, w))) if n.endswith(".wav")]
    start = time.perf_counter()
    predictions, correct = [], 0
    with torch.no_grad(), precision_context(args.precision):
        for first in range(0, len(items), args.batch):
            batch = items[first:first + args.batch]
            waveforms = torch.from_numpy(np.stack([read_clip(os.path.join(args.data, p)) for p, _ in batch])).unsqueeze(1)
            predicted = model(waveforms)[0][-1].float().argmax(-1).tolist()
            predictions += [(p, y, int(k)) for (p, y), k in zip(batch, predicted)]
            correct += sum(int(k) == y for (_, y), k in zip(batch, predicted))
    seconds = time.perf_counter() - start
    if args.predictions:
        with open(args.predictions, "w") as f:
            f.writelines(f"{p},{LABELS[y]},{LABELS[k]}\n" for p, y, k in predictions)
    return {"clips": len(items), "accuracy": correct / len(items), "seconds": seconds}


def train_step(args):
    torch.manual_seed(0)
    model = build(args)
    model.train()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.025, momentum=0.9, nesterov=True)
    waveforms = torch.randn(args.batch, 1, 16000)
    labels = torch.randint(0, 35, (args.batch,))
    times = []
    for i in range(args.warmup + args.steps):
        start = time.perf_counter()
        with precision_context(args.precision):
            logits = model(waveforms)[0]
            loss = F.cross_entropy(logits.flatten(0, 1).float(), labels.repeat(logits.shape[0]))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        loss.item()
        if i >= args.warmup:
            times.append(time.perf_counter() - start)
    return {"seconds_per_step": statistics.mean(times), "min_seconds": min(times), "steps": len(times)}


def step_latency(args):
    model = build(args)
    model.eval()
    window = torch.randn(1, 1, model.window)
    hidden = torch.zeros(1, model.hidden_size)
    excitations = [[] for _ in model.blocks.children()]
    times = []
    with torch.no_grad(), precision_context(args.precision):
        for i in range(args.steps + 10):
            start = time.perf_counter()
            features = model.features(window, hidden, excitations)
            hidden_next = model.cell(features.float(), hidden)
            model.classifier(hidden_next)
            if i >= 10:
                times.append(time.perf_counter() - start)
            for e in excitations:
                e.clear()
    return {"median_ms": statistics.median(times) * 1000, "steps": len(times)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["eval", "train-step", "step"])
    parser.add_argument("--data")
    parser.add_argument("--weights")
    parser.add_argument("--predictions")
    parser.add_argument("--width", type=int, default=128)
    parser.add_argument("--hidden", type=int, default=256)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--steps", type=int)
    parser.add_argument("--precision", choices=["fp32", "bf16"], default="fp32")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    if args.steps is None:
        args.steps = 200 if args.command == "step" else 3
    result = {"eval": evaluate, "train-step": train_step, "step": step_latency}[args.command](args)
    result.update({"framework": f"pytorch {torch.__version__}", "command": args.command, "width": args.width,
                   "threads": torch.get_num_threads(), "precision": args.precision, "peak_rss_mb": peak_rss_mb()})
    print(json.dumps(result))


if __name__ == "__main__":
    main()
