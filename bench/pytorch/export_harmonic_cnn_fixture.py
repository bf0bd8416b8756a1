"""Makes the HarmonicCNN parity fixture (tests/fixtures/reference-harmonic-cnn) from the authors' own model class.

Usage: python3 export_harmonic_cnn_fixture.py AUTHORS_CHECKOUT CLIPS_IO OUT_DIR [WIDTH]
AUTHORS_CHECKOUT: a checkout of github.com/minzwon/data-driven-harmonic-filters (Won et al., ICASSP 2020); its
training/model.py and training/modules.py are imported from there and run, never copied (the repository has no licence
file). CLIPS_IO: an io file whose "input" (clips, 1, 16000) holds one-second clips scaled by 1 / 0.0860, as tfcrnn's
models take them (tests/fixtures/reference-narrow/tfcrnn-resse.io.pt). WIDTH: the authors' conv_channels (default 8;
their paper's 128 makes a 14 MB state dict).

The authors' class is built as their keyword-spotting recipe builds it (training/main.py: n_fft 512, 6 harmonics,
semitone_scale 2, learn_bw "only_Q", dataset "keyword"), given seeded random weights, a bandwidth Q other than its
initial 1 and random BatchNorm statistics, and run in eval mode on each clip zero-padded into the recipe's 80,000
samples (input_length), centred. Writes OUT_DIR/harmonic-cnn.pt (the authors' state dict, their key names) and
OUT_DIR/harmonic-cnn.io.pt.
"""
import math
import sys
import types

import torch

from export_parity_fixtures import randomise_batch_norm

SAMPLES = 80_000  # the authors' input_length for keyword spotting: 5 s at 16 kHz
INPUT_SCALE = 1 / 0.0860  # tfcrnn's Preprocessing.InputScale
NOTES = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"]


def install_librosa_note_names():
    """The authors' modules.py imports librosa for three note-name conversions only, and Debian 12 has no
    python3-librosa: stands in librosa.core.note_to_midi, hz_to_note and note_to_hz with librosa's definitions (MIDI 69
    = A4 = 440 Hz, octaves numbered from C, hz_to_note rounds to the nearest semitone)."""

    def note_to_midi(note):
        name, octave = note[:-1], int(note[-1])
        return 12 * (octave + 1) + NOTES.index(name)

    def hz_to_note(hz):
        midi = int(round(12 * (math.log2(hz) - math.log2(440.0)) + 69))
        return f"{NOTES[midi % 12]}{midi // 12 - 1}"

    def note_to_hz(note):
        return 440.0 * 2.0 ** ((note_to_midi(note) - 69) / 12)

    core = types.SimpleNamespace(note_to_midi=note_to_midi, hz_to_note=hz_to_note, note_to_hz=note_to_hz)
    sys.modules["librosa"] = types.SimpleNamespace(core=core)


def randomise(model, generator):
    """Seeded weights everywhere, Q away from 1, and BatchNorm statistics and affine parameters that eval mode uses."""
    with torch.no_grad():
        model.hstft.bw_Q.fill_(1.3)
        randomise_batch_norm(model, generator)
        # The decibel front end's BatchNorm sees values near -100 dB in the padding: centre it there.
        model.hstft_bn.running_mean.copy_(torch.randn(model.hstft_bn.num_features, generator=generator) * 10 - 40)
        model.hstft_bn.running_var.copy_(torch.rand(model.hstft_bn.num_features, generator=generator) * 200 + 400)


def main(checkout, clips_io, out, width="8"):
    torch.set_num_threads(1)  # a cross-check, not a benchmark: leave the other cores alone
    install_librosa_note_names()
    sys.path.insert(0, f"{checkout}/training")
    from model import Model  # the authors' class, imported from their checkout

    torch.manual_seed(35)
    model = Model(conv_channels=int(width), sample_rate=16000, n_fft=512, n_harmonic=6, semitone_scale=2,
                  learn_bw="only_Q", dataset="keyword")
    randomise(model, torch.Generator().manual_seed(36))
    model.eval()

    clips = torch.load(clips_io)["input"]  # (clips, 1, 16000), scaled by INPUT_SCALE
    samples = clips[:, 0] / INPUT_SCALE
    offset = (SAMPLES - samples.shape[1]) // 2
    waveform = torch.zeros(samples.shape[0], SAMPLES)
    waveform[:, offset:offset + samples.shape[1]] = samples

    # The front end alone on a short stretch of the clips (the whole 80,000 samples would make a 3 MB fixture).
    front_end_input = samples[:2, 6000:10096].contiguous()
    with torch.no_grad():
        logits = model(waveform)
        front_end_output = model.hstft(front_end_input)
    torch.save(model.state_dict(), f"{out}/harmonic-cnn.pt")
    io = {"input": clips, "logits": logits, "front_end_input": front_end_input, "front_end_output": front_end_output}
    torch.save({key: value.contiguous() for key, value in io.items()}, f"{out}/harmonic-cnn.io.pt")
    parameters = sum(p.numel() for p in model.parameters())
    print(f"exported harmonic-cnn at width {width}: {parameters:,} parameters, logits {tuple(logits.shape)}, "
          f"front end {tuple(front_end_output.shape)}, Q {model.hstft.bw_Q.item()}")
    full = Model(conv_channels=128, n_fft=512, learn_bw="only_Q", dataset="keyword")
    print(f"the authors' class at width 128: {sum(p.numel() for p in full.parameters()):,} parameters")


if __name__ == "__main__":
    main(*sys.argv[1:])
