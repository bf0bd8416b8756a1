"""Seconds per batch of the nine variants in PyTorch (tfcrnn_reference.py), measured exactly as
bench/TfCrnn.Bench `models` measures the C# models: inference (eval, no grad) and a training step's forward +
backward (train mode, many-to-many cross-entropy). Prints a JSON array on stdout.

Usage: python3 benchmark_models.py [--batch 64] [--warmup 1] [--iterations 2] [--threads N] [--width 128] [variants...]
"""
import json
import sys
import time

import torch
import torch.nn.functional as F

from tfcrnn_reference import VARIANTS, Model


def timed(warmup, iterations, run):
    for _ in range(warmup):
        run()
    start = time.perf_counter()
    for _ in range(iterations):
        run()
    return (time.perf_counter() - start) / iterations


def main(args):
    options, variants = {}, []
    while args:
        head = args.pop(0)
        if head.startswith("--"):
            options[head] = int(args.pop(0))
        else:
            variants.append(head)
    batch = options.get("--batch", 64)
    warmup, iterations = options.get("--warmup", 1), options.get("--iterations", 2)
    if "--threads" in options:
        torch.set_num_threads(options["--threads"])
    torch.manual_seed(0)
    timings = []
    for variant in variants or VARIANTS:
        model = Model(variant, width=options.get("--width", 128))
        waveforms = torch.randn(batch, 1, 16000)
        labels = torch.randint(0, 35, (batch,))

        def forward():
            model.eval()
            with torch.no_grad():
                model(waveforms)

        def forward_backward():
            model.train()
            model.zero_grad()
            logits = model(waveforms)[0]
            F.cross_entropy(logits.flatten(0, 1), labels.repeat(logits.shape[0])).backward()

        f, fb = timed(warmup, iterations, forward), timed(warmup, iterations, forward_backward)
        print(f"{variant}: forward {f:.3f} s, forward+backward {fb:.3f} s", file=sys.stderr)
        timings.append({"model": variant, "batch": batch, "threads": torch.get_num_threads(),
                        "forward_seconds": f, "forward_backward_seconds": fb})
    print(json.dumps(timings, indent=2))


if __name__ == "__main__":
    main(sys.argv[1:])
