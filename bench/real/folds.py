#!/usr/bin/env python3
"""Speaker k-fold cross-validation on real speech (issue 33): every real clip serves once as dev, scored by a model
that never heard its speaker.

  bench/real/folds.py SYNTHETIC REAL_ALL OUT [--folds 5] [--keep SPEAKER_FOLDS.csv]

REAL_ALL is bench/real/layout-all.sh's folder (every real clip, provenance.csv). Each speaker (the part of a clip's
name before "_nohash_": a Speech Commands speaker is one person in every copy of the dataset) goes to one fold:
speakers in turn, most ten-word clips first (then most 35-word clips, most clips, and the SHA-1 of the name, for a
fixed order), each to the fold that has the fewest clips of the speaker's kind so far (ten-word clips for a speaker who
has some, else other 35-word clips, else other clips; ties: the fewest ten-word, other 35-word and other clips, the
lowest number). So every fold holds about a fifth of the ten-word clips, of the other words and of the non-words, and
the assignment depends only on the pool.
With --keep, the speakers of an earlier assignment (a CSV with "speaker" and "fold" columns: an earlier folds.csv, or
bench/real/speaker-folds.csv) keep their folds, so that a pool that grows does not move anyone: only the speakers new to
the pool are placed as above, in the same order, onto the folds as the kept speakers' clips (new clips included) fill
them. A kept fold number must lie in 1..K or be "train".
The one-speaker ROS source (felixchenfy) is never a dev speaker: it is in every fold's training set ("train" in
folds.csv), since one person in one room would make a fold's figure about that person.

Writes, with hard links (nothing is copied twice; the files are never written to):
  OUT/folds.csv            clip, speaker, source, fold (1..K or train)
  OUT/speaker-folds.csv    speaker, fold: the assignment alone, what --keep reads (bench/real/speaker-folds.csv is a copy)
  OUT/fold-K/train/        SYNTHETIC (without its clip cache) plus every real clip not in fold K, with provenance.csv:
                           real clips are not in the split lists, so they land in the training split (as add-pool.sh
                           lays them); the real-noise `_silence_` clips go to `_background_noise_/` there (the noise that
                           training mixes in and draws `_silence_` or `_none_` clips from)
  OUT/all/train/           SYNTHETIC plus every real clip, laid out as a fold's train/: for the model that ships
                           (models/embedding/remake.sh), trained with the recipe the folds measured
  OUT/fold-K/dev/          fold K's real clips in word folders, with provenance.csv: the layout `tfcrnn eval
                           --twelve-label` and `--split all` read (a `_silence_` folder of real noise; other folders
                           that are not one of the 35 words are real speech that is none of them)
OUT appears only when complete; one that exists is kept.
"""
import argparse
import csv
import hashlib
import os
import shutil
import sys
from collections import Counter, defaultdict

TEN = ["yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go"]
WORDS35 = TEN + ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "bed", "bird", "cat",
                 "dog", "happy", "house", "marvin", "sheila", "tree", "wow", "backward", "forward", "follow", "learn",
                 "visual"]
TRAIN_ONLY = {"felixchenfy"}
PROVENANCE = "provenance.csv"
NOISE_FOLDER = "_background_noise_"
SILENCE_FOLDER = "_silence_"


def speaker_of(clip):
    return os.path.basename(clip).split("_nohash_")[0]


def read_provenance(folder):
    with open(os.path.join(folder, PROVENANCE), newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        return header, list(reader)


def assign(rows):
    """{speaker: fold} for the clips of provenance rows (fold 1..K, or "train")."""
    load = defaultdict(lambda: [0, 0, 0])  # speaker -> [ten-word clips, 35-word clips, clips]
    for row in rows:
        word, speaker = row[0].split("/")[0], speaker_of(row[0])
        counts = load[speaker]
        counts[0] += word in TEN
        counts[1] += word in WORDS35
        counts[2] += 1
    return load


def kinds(counts):
    """(ten-word clips, other 35-word clips, other clips) of a speaker's [ten-word, 35-word, all] counts."""
    ten, words, clips = counts
    return ten, words - ten, clips - words


def folds_of(load, k, keep=None):
    """{speaker: fold}: the speakers of `keep` ({speaker: fold}) that are in the pool keep theirs; the others are placed
    one by one on the fold with the fewest clips of their kind."""
    keep = keep or {}
    folds = {s: "train" for s in load if s in TRAIN_ONLY}
    folds.update({s: f for s, f in keep.items() if s in load})
    totals = [[0, 0, 0, n] for n in range(1, k + 1)]  # ten-word clips, other 35-word clips, other clips, fold
    for speaker, fold in folds.items():
        if fold != "train":
            for i, count in enumerate(kinds(load[speaker])):
                totals[fold - 1][i] += count
    order = sorted((s for s in load if s not in folds),
                   key=lambda s: (-load[s][0], -load[s][1], -load[s][2], hashlib.sha1(s.encode()).hexdigest()))
    for speaker in order:
        counts = kinds(load[speaker])
        kind = 0 if counts[0] else 1 if counts[1] else 2  # what the speaker adds: balanced on that first
        fold = min(totals, key=lambda t: (t[kind], *t))
        folds[speaker] = fold[3]
        for i in range(3):
            fold[i] += counts[i]
    return folds


def read_keep(path, k):
    """{speaker: fold} from a CSV with speaker and fold columns (fold 1..k or train)."""
    with open(path, newline="") as f:
        reader = csv.DictReader(f)
        if not {"speaker", "fold"} <= set(reader.fieldnames or []):
            sys.exit(f"error: {path}: expected the columns speaker and fold")
        keep = {}
        for line, row in enumerate(reader, start=2):
            fold = row["fold"]
            if fold != "train" and not (fold.isdigit() and 1 <= int(fold) <= k):
                sys.exit(f"error: {path}: line {line}: fold '{fold}' is neither 1..{k} nor train")
            if keep.setdefault(row["speaker"], fold) != fold:
                sys.exit(f"error: {path}: speaker {row['speaker']} is in two folds")
        return {s: f if f == "train" else int(f) for s, f in keep.items()}


def link(source, target):
    os.makedirs(os.path.dirname(target), exist_ok=True)
    os.link(source, target)


def write_provenance(folder, header, rows):
    with open(os.path.join(folder, PROVENANCE), "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(sorted(rows))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("synthetic")
    parser.add_argument("real_all")
    parser.add_argument("out")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--keep", metavar="SPEAKER_FOLDS.csv",
                        help="an earlier assignment (speaker, fold columns) whose speakers keep their folds")
    args = parser.parse_args()
    for folder in (args.synthetic, args.real_all):
        if not os.path.isdir(folder):
            sys.exit(f"error: {folder}: no such folder")
    if args.keep is not None and not os.path.isfile(args.keep):
        sys.exit(f"error: {args.keep}: no such file")
    if os.path.isdir(args.out):
        return
    header, rows = read_provenance(args.real_all)
    keep = read_keep(args.keep, args.folds) if args.keep is not None else None
    folds = folds_of(assign(rows), args.folds, keep)
    tmp = args.out + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    with open(os.path.join(tmp, "folds.csv"), "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["clip", "speaker", "source", "fold"])
        for row in sorted(rows):
            writer.writerow([row[0], speaker_of(row[0]), row[1], folds[speaker_of(row[0])]])
    with open(os.path.join(tmp, "speaker-folds.csv"), "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["speaker", "fold"])
        writer.writerows(sorted(folds.items()))
    # Fold 0 is "all": no dev speakers, what a model to ship trains on once the folds have chosen its recipe.
    for k in [*range(1, args.folds + 1), 0]:
        name = f"fold-{k}" if k else "all"
        train, dev = os.path.join(tmp, name, "train"), os.path.join(tmp, name, "dev")
        shutil.copytree(args.synthetic, train, copy_function=os.link,
                        ignore=shutil.ignore_patterns(".tfcrnn-cache", PROVENANCE))
        synthetic_rows = read_provenance(args.synthetic)[1] if os.path.isfile(os.path.join(args.synthetic, PROVENANCE)) else []
        train_rows, dev_rows = list(synthetic_rows), []
        for row in rows:
            clip, source = row[0], os.path.join(args.real_all, row[0])
            if folds[speaker_of(clip)] == k:
                link(source, os.path.join(dev, clip))
                dev_rows.append(row)
            else:
                if clip.startswith(SILENCE_FOLDER + "/"):
                    clip = f"{NOISE_FOLDER}/real-{os.path.basename(clip)}"
                link(source, os.path.join(train, clip))
                train_rows.append([clip] + row[1:])
        write_provenance(train, header, train_rows)
        if k:
            write_provenance(dev, header, dev_rows)
    os.replace(tmp, args.out)
    table = Counter((folds[speaker_of(r[0])], r[0].split("/")[0] in TEN, r[0].split("/")[0] in WORDS35) for r in rows)
    speakers = Counter(folds.values())
    print("fold  speakers  ten-word clips  35-word clips  clips")
    for fold in [*range(1, args.folds + 1), "train"]:
        ten = table[(fold, True, True)]
        w35 = ten + table[(fold, False, True)]
        print(f"{fold!s:>5} {speakers[fold]:>9} {ten:>15} {w35:>14} {w35 + table[(fold, False, False)]:>6}")


if __name__ == "__main__":
    main()
