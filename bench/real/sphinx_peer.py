#!/usr/bin/python3
"""The peer of issue 33: Debian's PocketSphinx (CMU's en-us acoustic model) with a JSGF grammar of exactly one of the
35 Speech Commands words, no garbage or filler word in the grammar, taking the decoded word. A clip it decodes to
nothing gets "_none_". It needs no training, so one run over every real clip serves every fold.

  apt-get install -y pocketsphinx-en-us python3-pocketsphinx
  bench/real/sphinx_peer.py DATA OUT.csv [--limit N] [--part I/N] [--skip DONE.csv ...]

DATA is a folder of word folders of 16 kHz mono 16-bit clips (bench/real/layout-all.sh's, a fold's dev folder, or
bench/real/dev). OUT.csv has the columns of `tfcrnn eval --twelve-label`'s twelve_label_predictions.csv (file, folder,
top_word, probability, correct: the 12-label rule) and seconds, the CPU time of decoding the clip (one thread; CPU
time, since wall time on a shared machine measures the other jobs); score_folds.py reads it.
--skip leaves out the clips (word folder and file name) that earlier runs' CSVs already hold, so that a pool that grew
is decoded only where it is new (score_folds.py takes the earlier CSVs and the new one together).
Runs with Debian's Python (/usr/bin/python3), where python3-pocketsphinx installs.
"""
import argparse
import csv
import os
import sys
import time
import wave

from pocketsphinx import pocketsphinx as ps

MODEL = "/usr/share/pocketsphinx/model/en-us"
TEN = ["yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go"]
WORDS = TEN + ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "bed", "bird", "cat",
               "dog", "happy", "house", "marvin", "sheila", "tree", "wow", "backward", "forward", "follow", "learn",
               "visual"]


def decoder():
    config = ps.Decoder.default_config()
    config.set_string("-hmm", os.path.join(MODEL, "en-us"))
    config.set_string("-dict", os.path.join(MODEL, "cmudict-en-us.dict"))
    config.set_string("-logfn", "/dev/null")
    d = ps.Decoder(config)
    d.set_jsgf_string("words", "#JSGF V1.0;\ngrammar words;\npublic <word> = " + " | ".join(WORDS) + " ;\n")
    d.set_search("words")
    return d


def clips(data):
    for folder in sorted(os.listdir(data)):
        path = os.path.join(data, folder)
        if folder.startswith(".") or folder == "_background_noise_" or not os.path.isdir(path):
            continue
        for name in sorted(os.listdir(path)):
            if name.endswith(".wav"):
                yield os.path.join(path, name), folder


def done_clips(paths):
    """The clips ("folder/name.wav") of earlier runs' CSVs."""
    done = set()
    for path in paths:
        with open(path, newline="") as f:
            done.update(f"{row['folder']}/{os.path.basename(row['file'])}" for row in csv.DictReader(f))
    return done


def decode(d, path):
    with wave.open(path, "rb") as w:
        if (w.getframerate(), w.getnchannels(), w.getsampwidth()) != (16000, 1, 2):
            sys.exit(f"error: {path}: expected 16 kHz mono 16-bit audio")
        audio = w.readframes(w.getnframes())
    start = time.process_time()
    d.start_utt()
    d.process_raw(audio, False, True)
    d.end_utt()
    hyp = d.hyp()
    seconds = time.process_time() - start
    word = hyp.hypstr.strip() if hyp is not None and hyp.hypstr.strip() in WORDS else "_none_"
    probability = d.get_logmath().exp(hyp.prob) if hyp is not None else 0.0
    return word, probability, seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data")
    parser.add_argument("out")
    parser.add_argument("--limit", type=int, default=0, help="only the first N clips (a quick check)")
    parser.add_argument("--part", default="0/1", metavar="I/N",
                        help="only every N-th clip from the I-th (0-based): N processes at once share the clips")
    parser.add_argument("--skip", nargs="+", default=[], metavar="DONE.csv",
                        help="leave out the clips these earlier runs' CSVs hold")
    args = parser.parse_args()
    for path in args.skip:
        if not os.path.isfile(path):
            sys.exit(f"error: --skip {path}: no such file")
    part, parts = (int(x) for x in args.part.split("/"))
    if not 0 <= part < parts:
        sys.exit(f"error: --part {args.part}: expected I/N with 0 <= I < N")
    skip = done_clips(args.skip)
    d = decoder()
    done, total = 0, 0.0
    temporary = args.out + ".tmp"
    with open(temporary, "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["file", "folder", "top_word", "probability", "correct", "seconds"])
        todo = (c for c in clips(args.data) if f"{c[1]}/{os.path.basename(c[0])}" not in skip)
        for n, (path, folder) in enumerate(todo):
            if args.limit and n >= args.limit:
                break
            if n % parts != part:
                continue
            word, probability, seconds = decode(d, path)
            total += seconds
            done += 1
            correct = word == folder if folder in TEN else word not in TEN
            writer.writerow([path, folder, word, f"{probability:.4g}", int(correct), f"{seconds:.4f}"])
            if done % 500 == 0:
                f.flush()
                print(f"{done} clips, {total / done * 1000:.1f} ms a clip", file=sys.stderr)
    os.replace(temporary, args.out)
    print(f"{done} clips, {total / max(done, 1) * 1000:.1f} ms a clip (decoding only, one thread)", file=sys.stderr)


if __name__ == "__main__":
    main()
