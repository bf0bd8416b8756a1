"""Training throughput of the paper's recipe in PyTorch, the reference for `TfCrnn.Bench training`.

Same model (tfcrnn_reference.Model), same recipe as tfcrnn's Trainer: SGD Nesterov momentum 0.9, lr 0.025,
shuffled drop-last batches with the random shift augmentation (docs/reference-implementation.md, "Data"), many-to-many loss (mean
over steps of each step's cross-entropy), train mode. Clips are read from a Speech Commands folder and
preprocessed once (scaled by 1/0.0860, centred to 16,000 samples), as tfcrnn's cache does.

Prints one JSON object: {"framework", "model", "width", "batch", "threads", "batches", "seconds", "clips_per_second"}.
Usage: train_throughput.py --data DIR [--model tfcrnn-resse] [--width 32] [--batch 64] [--threads 2] [--warmup 2] [--batches 20]
"""
import argparse
import json
import os
import sys
import time
import wave

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tfcrnn_reference import Model  # noqa: E402

SCALE, CLIP, SHIFT = 0.0860, 16000, 160


def read_clip(path):
    with wave.open(path, "rb") as f:
        samples = np.frombuffer(f.readframes(f.getnframes()), dtype="<i2").astype(np.float32) / 32768.0
        samples = samples[:: f.getnchannels()][:CLIP]
    out = np.zeros(CLIP, np.float32)
    start = (CLIP - len(samples)) // 2
    out[start:start + len(samples)] = samples / SCALE
    return out


def training_clips(root, limit):
    held_out = set()
    for name in ("validation_list.txt", "testing_list.txt"):
        with open(os.path.join(root, name)) as f:
            held_out.update(line.strip() for line in f if line.strip())
    words = sorted(d for d in os.listdir(root) if os.path.isdir(os.path.join(root, d)) and not d.startswith("_"))
    labels = {w: i for i, w in enumerate(sorted(words))}
    items = [(f"{w}/{n}", labels[w]) for w in words for n in sorted(os.listdir(os.path.join(root, w))) if n.endswith(".wav")]
    items = [it for it in items if it[0] not in held_out][:limit]
    x = np.stack([read_clip(os.path.join(root, p)) for p, _ in items])
    y = np.array([l for _, l in items], np.int64)
    return torch.from_numpy(x), torch.from_numpy(y)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True)
    p.add_argument("--model", default="tfcrnn-resse")
    p.add_argument("--width", type=int, default=32)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--batches", type=int, default=20)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    generator = np.random.default_rng(0)
    x, y = training_clips(a.data, (a.warmup + a.batches) * a.batch)
    # Labels index the 35 words; a dataset with fewer words still trains a 35-class head.
    model = Model(a.model, width=a.width, classes=35)
    model.train()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.025, momentum=0.9, nesterov=True)
    order = generator.permutation(len(x))

    def step(b):
        index = torch.from_numpy(order[(b * a.batch) % len(x):][: a.batch])
        clips = x[index]
        shifted = torch.zeros_like(clips)
        for i, offset in enumerate(generator.integers(0, SHIFT, len(index))):
            shifted[i, SHIFT // 2: CLIP - SHIFT // 2] = clips[i, offset: offset + CLIP - SHIFT]
        logits = model(shifted.unsqueeze(1))[0]  # (steps, batch, classes)
        loss = F.cross_entropy(logits.flatten(0, 1), y[index].repeat(logits.shape[0]))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss.item()

    for b in range(a.warmup):
        step(b)
    start = time.perf_counter()
    for b in range(a.warmup, a.warmup + a.batches):
        step(b)
    seconds = time.perf_counter() - start
    print(json.dumps({
        "framework": f"pytorch {torch.__version__}", "model": a.model, "width": a.width, "batch": a.batch,
        "threads": torch.get_num_threads(), "batches": a.batches, "seconds": seconds,
        "clips_per_second": a.batches * a.batch / seconds,
    }))


if __name__ == "__main__":
    main()
