"""Exports, for every variant and window, a state_dict and an io file in the reference fixture format, from
tfcrnn_reference.py.

Usage: python3 export_parity_fixtures.py FIXTURES_DIR STEP50_FIXTURE_DIR OUT_DIR WIDTH WINDOW...
First checks that this implementation reproduces the authors' fixtures (the 100 ms ones in FIXTURES_DIR, at their
width, and the 50 ms one), then writes OUT_DIR/<variant>-w<WINDOW>.pt and OUT_DIR/<variant>-w<WINDOW>.io.pt for every
recurrent variant at every window (samples), and OUT_DIR/<variant>.pt / .io.pt for the CNN, which has one
configuration. Inputs are the fixtures' three clips; BatchNorm statistics and affine parameters are randomised so that
eval-mode BatchNorm is exercised.
"""
import sys

import torch

from tfcrnn_reference import VARIANTS, Model


def outputs(model, waveforms):
    with torch.no_grad():
        logits, hidden, excitations = model(waveforms)
    io = {"input": waveforms, "logits": logits if model.recurrent else logits[0]}
    if hidden is not None:
        io["hidden"] = hidden
    io.update({f"excitation.block{i}": e for i, e in enumerate(excitations)})
    return io


def check_against_reference(folder, variant, **settings):
    model = Model(variant, **settings)
    state = torch.load(f"{folder}/{variant}.pt")
    assert set(state) == set(model.state_dict()), f"{folder}/{variant}: key sets differ"
    model.load_state_dict(state)
    model.eval()
    reference = torch.load(f"{folder}/{variant}.io.pt")
    ours = outputs(model, reference["input"])
    for key, value in ours.items():
        if key in reference:
            diff = (value - reference[key]).abs().max().item()
            print(f"reference {folder}/{variant} {key} max_abs_diff={diff:.1e}")
            assert diff < 1e-4


def randomise_batch_norm(model, generator):
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, torch.nn.modules.batchnorm._BatchNorm):  # 1-D here, 2-D in HarmonicCNN
                c = module.num_features
                module.running_mean.copy_(torch.randn(c, generator=generator) * 0.1)
                module.running_var.copy_(torch.rand(c, generator=generator) * 0.5 + 0.75)
                module.weight.copy_(torch.rand(c, generator=generator) * 0.5 + 0.75)
                module.bias.copy_(torch.randn(c, generator=generator) * 0.1)
                module.num_batches_tracked.fill_(7)


def export(out, name, model, waveforms, seed):
    randomise_batch_norm(model, torch.Generator().manual_seed(100 + seed))
    model.eval()
    torch.save(model.state_dict(), f"{out}/{name}.pt")
    torch.save(outputs(model, waveforms), f"{out}/{name}.io.pt")
    print(f"exported {name}: {sum(p.numel() for p in model.parameters()):,} parameters, {len(model.blocks._modules)} blocks")


def main(fixtures, step50, out, width, *windows):
    torch.set_num_threads(1)  # a cross-check, not a benchmark: leave the other cores alone
    width = int(width)
    reference_width = torch.load(f"{fixtures}/cnn-se.pt")["init_block.conv0.weight"].shape[0]
    for variant in ("cnn-se", "tfcrnn-resse"):
        check_against_reference(fixtures, variant, width=reference_width)
    check_against_reference(step50, "tfcrnn-resse", width=16, window=1600)
    waveforms = torch.load(f"{fixtures}/tfcrnn-resse.io.pt")["input"]
    for index, variant in enumerate(VARIANTS):
        if variant.startswith("cnn"):
            torch.manual_seed(index)
            export(out, variant, Model(variant, width=width), waveforms, index)
            continue
        for window in map(int, windows):
            torch.manual_seed(index * 100_000 + window)
            export(out, f"{variant}-w{window}", Model(variant, width=width, window=window), waveforms, index)


if __name__ == "__main__":
    main(*sys.argv[1:])
