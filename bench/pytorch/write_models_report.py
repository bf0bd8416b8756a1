"""Combines the JSON of `TfCrnn.Bench models` and `benchmark_models.py` into bench/results/models.md.

Usage: python3 write_models_report.py CSHARP.json PYTORCH.json OUT.md NOTE
"""
import json
import sys


def main(csharp_path, pytorch_path, out_path, note):
    ours = {t["model"]: t for t in json.load(open(csharp_path))}
    theirs = {t["model"]: t for t in json.load(open(pytorch_path))}
    first = next(iter(ours.values()))
    lines = [
        "# Model speed: TorchSharp (C#) vs PyTorch",
        "",
        f"Seconds per batch of {first['batch']} one-second clips at full width (128), {first['threads']} threads on both"
        " sides, CPU. *Forward*: eval mode, no gradient (inference). *Forward + backward*: train mode, many-to-many"
        " cross-entropy over all steps, backward (an SGD step without the update). Same models: the C# variants and"
        " `bench/pytorch/tfcrnn_reference.py`, which agree to 1e-7 (`parity.md`).",
        "",
        "| variant | forward C# | forward PyTorch | ratio | fwd+bwd C# | fwd+bwd PyTorch | ratio |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for model, o in ours.items():
        t = theirs[model]
        lines.append(
            f"| {model} | {o['forward_seconds']:.2f} | {t['forward_seconds']:.2f} | "
            f"{o['forward_seconds'] / t['forward_seconds']:.2f} | {o['forward_backward_seconds']:.2f} | "
            f"{t['forward_backward_seconds']:.2f} | {o['forward_backward_seconds'] / t['forward_backward_seconds']:.2f} |")
    lines += ["", "Ratio = C# / PyTorch (above 1: C# slower).", "", note, ""]
    open(out_path, "w").write("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main(*sys.argv[1:5])
