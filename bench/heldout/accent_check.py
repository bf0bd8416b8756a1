#!/usr/bin/env python3
"""Ear-proxy for the synthetic accents: are they still the English words?

Trains a softmax regression on log-mel features (40 bands, 25 ms windows, 10 ms hop; the speech region by
frame energy, resampled to 24 frames, mean removed, with deltas) of the training split of an espeak-ng set spoken
by English voices only, then reports its accuracy on that set's test split (voice configurations it never heard)
and on every accent of an accent-only set, and optionally on another set (bench/heldout/make_other_engines.sh).
An accent that is intelligible scores far above chance (1/35) and near the English test split; one that says
other words would not. Needs numpy only (Debian: python3-numpy).

  ./tfcrnn synth --out /tmp/en --voices en,en-us,en-gb-scotland,en-gb-x-gbclan,en-gb-x-rp,en-gb-x-gbcwmd,en-029,en-us-nyc \
      --clips-per-word 40 --non-keyword-words 0 --background-noise-seconds 0 --seed 1
  ./tfcrnn synth --out /tmp/acc --voices de,fr-fr,es,it,pt-br,pl,ru,hi,ja,ko,ar,tr,sw \
      --clips-per-word 40 --non-keyword-words 0 --background-noise-seconds 0 --seed 2
  python3 bench/heldout/accent_check.py /tmp/en /tmp/acc [/tmp/other-engines]
"""
import csv, os, sys, wave
import numpy as np

WORDS = ("backward bed bird cat dog down eight five follow forward four go happy house learn left marvin nine no off "
         "on one right seven sheila six stop three tree two up visual wow yes zero").split()


def mel_filters(n_fft=512, n_mels=40, rate=16000, low=20, high=8000):
    mel = lambda f: 2595 * np.log10(1 + f / 700)
    hz = lambda m: 700 * (10 ** (m / 2595) - 1)
    bins = np.floor((n_fft + 1) * hz(np.linspace(mel(low), mel(high), n_mels + 2)) / rate).astype(int)
    bank = np.zeros((n_mels, n_fft // 2 + 1))
    for i in range(n_mels):
        left, centre, right = bins[i], bins[i + 1], bins[i + 2]
        bank[i, left:centre] = (np.arange(left, centre) - left) / max(centre - left, 1)
        bank[i, centre:right] = (right - np.arange(centre, right)) / max(right - centre, 1)
    return bank


BANK, WINDOW = mel_filters(), np.hanning(400)


def features(samples):
    frames = np.lib.stride_tricks.sliding_window_view(samples, 400)[::160] * WINDOW
    logmel = np.log((np.abs(np.fft.rfft(frames, 512)) ** 2) @ BANK.T + 1e-6).T
    energy = logmel.max(0)
    loud = np.where(energy > energy.max() - 4)[0]
    speech = logmel[:, loud[0]:loud[-1] + 1]
    position = np.linspace(0, speech.shape[1] - 1, 24)
    low = np.floor(position).astype(int)
    high = np.minimum(low + 1, speech.shape[1] - 1)
    fixed = speech[:, low] * (1 - (position - low)) + speech[:, high] * (position - low)
    fixed -= fixed.mean()
    return np.concatenate([fixed.ravel(), np.diff(fixed, axis=1).ravel()])


def read_set(root, group_of):
    """Features, labels, groups and splits of every clip of the 35 words in a Speech Commands folder."""
    test = set(open(os.path.join(root, "testing_list.txt")).read().split())
    valid = set(open(os.path.join(root, "validation_list.txt")).read().split())
    xs, ys, groups, splits = [], [], [], []
    for label, word in enumerate(WORDS):
        for name in sorted(os.listdir(os.path.join(root, word))):
            with wave.open(os.path.join(root, word, name)) as clip:
                samples = np.frombuffer(clip.readframes(clip.getnframes()), dtype="<i2").astype(np.float32) / 32768
            xs.append(features(samples))
            ys.append(label)
            groups.append(group_of(name.split("_nohash_")[0]))
            path = f"{word}/{name}"
            splits.append("test" if path in test else "valid" if path in valid else "train")
    return np.array(xs), np.array(ys), np.array(groups), np.array(splits)


def voices(root):
    with open(os.path.join(root, "voices.csv")) as file:
        return {row["speaker_id"]: row["voice"] for row in csv.DictReader(file)}


def main(english, accents, other=None):
    en = read_set(english, lambda speaker: "en")
    accent_voice = voices(accents)
    acc = read_set(accents, accent_voice.get)
    mean, std = en[0].mean(0), en[0].std(0) + 1e-6
    train = en[3] == "train"
    x, y = (en[0][train] - mean) / std, en[1][train]
    weights, bias, onehot = np.random.RandomState(0).randn(x.shape[1], 35) * 0.01, np.zeros(35), np.eye(35)[y]
    for _ in range(300):
        p = x @ weights + bias
        p = np.exp(p - p.max(1, keepdims=True))
        p /= p.sum(1, keepdims=True)
        gradient = (p - onehot) / len(x)
        weights -= 0.05 * (x.T @ gradient + 1e-3 * weights)
        bias -= 0.05 * gradient.sum(0)
    accuracy = lambda xs, ys: (((xs - mean) / std @ weights + bias).argmax(1) == ys).mean()
    rows = [("English voices, test split (unheard configurations)", en[0][en[3] == "test"], en[1][en[3] == "test"])]
    rows += [(f"accent {g}", acc[0][acc[2] == g], acc[1][acc[2] == g]) for g in np.unique(acc[2])]
    if other:
        oth = read_set(other, lambda speaker: speaker.split("-")[0])
        rows += [(f"other engine {g}", oth[0][oth[2] == g], oth[1][oth[2] == g]) for g in np.unique(oth[2])]
    print(f"trained on {train.sum()} clips of English voices; chance is {1 / 35:.3f}")
    for name, xs, ys in rows:
        print(f"{name:55s} {len(ys):5d} clips  accuracy {accuracy(xs, ys):.3f}")


if __name__ == "__main__":
    main(*sys.argv[1:4])
