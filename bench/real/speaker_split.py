#!/usr/bin/env python3
"""The Speech Commands hash rule on file names, for the bench/real scripts (the same rule as
src/TfCrnn/Data/SplitRule.cs and the dataset README's which_set): the part of a clip's name before "_nohash_" is its
speaker; p = (SHA-1(speaker) mod 2^27) * 100 / (2^27 - 1); p < 10 validation, p < 20 testing, else training.
It reads names only, never audio.

  speaker_split.py train-files < PATHS     prints the paths to keep: every file that is not audio, and audio files
                                           named SPEAKER_nohash_N.* whose speaker is a training-split one (any other
                                           audio file is dropped: an unnamed clip's split cannot be known)
  speaker_split.py speakers LOW HIGH DIR...  prints, comma-separated, the training-split speakers of the clips under
                                           the folders whose percentage lies in [LOW, HIGH)
"""
import hashlib
import os
import sys

NOHASH = "_nohash_"
AUDIO = (".wav", ".flac", ".mp3", ".ogg")


def speaker(name):
    """The speaker of a clip's file name (WORD_SPEAKER_nohash_N or SPEAKER_nohash_N), or None."""
    stem = os.path.basename(name)
    if NOHASH not in stem:
        return None
    return stem.split(NOHASH)[0].split("_")[-1] or None


def percentage(speaker_id):
    return (int(hashlib.sha1(speaker_id.encode()).hexdigest(), 16) % 2**27) * (100.0 / (2**27 - 1))


def is_training(speaker_id):
    return percentage(speaker_id) >= 20


def main():
    if len(sys.argv) == 2 and sys.argv[1] == "train-files":
        for line in sys.stdin:
            path = line.rstrip("\n")
            if "__MACOSX" in path.split("/") or os.path.basename(path).startswith("._"):
                continue  # macOS's resource forks (AppleDouble files), not audio
            if not path.lower().endswith(AUDIO):
                print(path)
            elif (s := speaker(path)) is not None and is_training(s):
                print(path)
    elif len(sys.argv) >= 4 and sys.argv[1] == "speakers":
        low, high = float(sys.argv[2]), float(sys.argv[3])
        names = set()
        for folder in sys.argv[4:]:
            for _, _, files in os.walk(folder):
                names.update(s for f in files if (s := speaker(f)) is not None)
        print(",".join(sorted(s for s in names if is_training(s) and low <= percentage(s) < high)))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
