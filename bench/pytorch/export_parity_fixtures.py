"""Exports, for every variant, a state_dict and an io file in the reference fixture format, from tfcrnn_reference.py.

Usage: python3 export_parity_fixtures.py FIXTURES_DIR OUT_DIR
First checks that this implementation reproduces the authors' two fixtures, then writes OUT_DIR/<variant>.pt and
OUT_DIR/<variant>.io.pt (same input clips as the shipped fixtures; BatchNorm statistics and affine parameters
randomised so that eval-mode BatchNorm is exercised).
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


def check_against_reference(fixtures):
    for variant in ("cnn-se", "tfcrnn-resse"):
        model = Model(variant)
        state = torch.load(f"{fixtures}/{variant}.pt")
        assert set(state) == set(model.state_dict()), f"{variant}: key sets differ"
        model.load_state_dict(state)
        model.eval()
        reference = torch.load(f"{fixtures}/{variant}.io.pt")
        ours = outputs(model, reference["input"])
        for key, value in ours.items():
            if key in reference:
                diff = (value - reference[key]).abs().max().item()
                print(f"reference {variant} {key} max_abs_diff={diff:.1e}")
                assert diff < 1e-4


def randomise_batch_norm(model, generator):
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, torch.nn.BatchNorm1d):
                c = module.num_features
                module.running_mean.copy_(torch.randn(c, generator=generator) * 0.1)
                module.running_var.copy_(torch.rand(c, generator=generator) * 0.5 + 0.75)
                module.weight.copy_(torch.rand(c, generator=generator) * 0.5 + 0.75)
                module.bias.copy_(torch.randn(c, generator=generator) * 0.1)
                module.num_batches_tracked.fill_(7)


def main(fixtures, out):
    check_against_reference(fixtures)
    waveforms = torch.load(f"{fixtures}/tfcrnn-resse.io.pt")["input"]
    for index, variant in enumerate(VARIANTS):
        torch.manual_seed(index)
        model = Model(variant)
        randomise_batch_norm(model, torch.Generator().manual_seed(100 + index))
        model.eval()
        print(f"{variant}: {sum(p.numel() for p in model.parameters()):,} parameters")
        torch.save(model.state_dict(), f"{out}/{variant}.pt")
        torch.save(outputs(model, waveforms), f"{out}/{variant}.io.pt")
        print(f"exported {variant}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
