#!/usr/bin/env python3
"""Pools per-fold predictions of speaker k-fold cross-validation (folds.py) into one score per model, with 95 %
intervals, and compares models clip by clip.

  bench/real/score_folds.py FOLDS.csv --model NAME=CSV[,CSV...] [--model ...] [--json OUT.json] [--reps 2000] [--seed 2026]

Each CSV has the columns of `tfcrnn eval --twelve-label`'s twelve_label_predictions.csv (file, folder, top_word, ...);
a glob is expanded. A clip is matched by its folder and file name (FOLDS.csv's clip, WORD/NAME.wav); only clips of the
dev folds count (not ROS's training-only speaker), and a CSV whose path names a fold (fold-K) may hold only that fold's
clips (else it is an error: a model would be scored on speakers it was trained on). Measures, over the dev clips a
model has predictions for:
  ten words   clips of yes ... go whose top word is their word
  12-label    all clips: a ten-word clip is right when its word is on top, any other clip when none of the ten is (the
              other clips apart: the other 25 words, real speech that is none of the 35, real noise `_silence_`)
  35 words    clips of the 35 words whose top word is their word
  per word    the 35 words apart
Intervals: 95 % percentile intervals of a speaker-clustered bootstrap (speakers are drawn with replacement, each with
all their clips, REPS times): clips of one speaker are not independent, so a clip-level interval (Wilson) would be too
narrow where speakers have many clips; a measure of fewer than 5 speakers (the four noise recordings) gets none. Paired comparison of two models on the clips both scored: the clips only the
first gets right (b) and only the second (c), the exact McNemar p (two-sided binomial test of b against b + c, which
treats clips as independent), and the cluster-bootstrap interval of the difference in accuracy.
"""
import argparse
import csv
import glob
import json
import math
import os
import random
import re
import sys
from collections import defaultdict

TEN = ["yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go"]
WORDS35 = TEN + ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "bed", "bird", "cat",
                 "dog", "happy", "house", "marvin", "sheila", "tree", "wow", "backward", "forward", "follow", "learn",
                 "visual"]
SILENCE = "_silence_"
MIN_SPEAKERS = 5


def key(folder, path):
    return f"{folder}/{os.path.basename(path)}"


def read_folds(path):
    with open(path, newline="") as f:
        return {r["clip"]: (r["speaker"], r["source"], r["fold"]) for r in csv.DictReader(f)}


def read_model(spec, folds):
    """{clip: (top word, seconds or None)} of a model's CSVs."""
    predictions = {}
    for pattern in spec.split(","):
        paths = sorted(glob.glob(pattern)) or sys.exit(f"error: {pattern}: no such file")
        for path in paths:
            named = re.search(r"fold-(\d+)", path)
            with open(path, newline="") as f:
                for row in csv.DictReader(f):
                    clip = key(row["folder"], row["file"])
                    if clip not in folds:
                        sys.exit(f"error: {path}: {clip} is not in the folds file")
                    if named and folds[clip][2] != named.group(1):
                        sys.exit(f"error: {path}: {clip} is in fold {folds[clip][2]}, not fold {named.group(1)}")
                    seconds = float(row["seconds"]) if row.get("seconds") else None
                    predictions[clip] = (row["top_word"], seconds)
    return predictions


def outcomes(predictions, folds):
    """Per dev clip: (clip, word, speaker, fold, measures {name: right}) for the clips the model scored."""
    result = []
    for clip, (speaker, _, fold) in folds.items():
        if fold == "train" or clip not in predictions:
            continue
        word, top = clip.split("/")[0], predictions[clip][0]
        measures = {"12-label": top == word if word in TEN else top not in TEN}
        if word in TEN:
            measures["ten words"] = top == word
        else:
            kind = "other 25 words" if word in WORDS35 else "real noise" if word == SILENCE else "none of the 35"
            measures[f"12-label other clips"] = measures["12-label"]
            measures[f"12-label: {kind}"] = measures["12-label"]
        if word in WORDS35:
            measures["35 words"] = top == word
            measures[f"word {word}"] = top == word
        result.append((clip, word, speaker, fold, measures))
    return result


def clusters(items, measure, value):
    """[(right, clips)] per speaker of the items that have the measure."""
    by = defaultdict(lambda: [0, 0])
    for item in items:
        if measure in item[4]:
            by[item[2]][0] += value(item)
            by[item[2]][1] += 1
    return list(by.values())


def bootstrap(groups, reps, rng, statistic=lambda r, n: r / n):
    """95 % percentile interval of the statistic over speakers drawn with replacement."""
    if not groups or reps == 0:
        return (math.nan, math.nan)
    draws = []
    for _ in range(reps):
        right = total = 0
        for g in rng.choices(groups, k=len(groups)):
            right += g[0]
            total += g[1]
        draws.append(statistic(right, total) if total else math.nan)
    draws.sort()
    return (draws[int(0.025 * reps)], draws[min(reps - 1, int(0.975 * reps))])


def score(items, measure, reps, rng):
    groups = clusters(items, measure, lambda i: i[4][measure])
    right, n = sum(g[0] for g in groups), sum(g[1] for g in groups)
    # Too few speakers for a speaker-clustered interval (the real-noise recordings): none is given.
    low, high = bootstrap(groups, reps, rng) if len(groups) >= MIN_SPEAKERS else (math.nan, math.nan)
    return {"right": right, "clips": n, "speakers": len(groups), "accuracy": right / n if n else math.nan,
            "low": low, "high": high}


def mcnemar(b, c):
    n = b + c
    if n == 0:
        return 1.0
    tail = sum(math.comb(n, i) for i in range(min(b, c) + 1)) / 2 ** n
    return min(1.0, 2 * tail)


def compare(first, second, measure, reps, rng):
    a = {i[0]: i for i in first if measure in i[4]}
    pairs = [(a[i[0]], i) for i in second if i[0] in a]
    b = sum(1 for x, y in pairs if x[4][measure] and not y[4][measure])
    c = sum(1 for x, y in pairs if not x[4][measure] and y[4][measure])
    # Per speaker: (second right - first right, clips), so the statistic is the difference in accuracy.
    by = defaultdict(lambda: [0, 0])
    for x, y in pairs:
        by[x[2]][0] += int(y[4][measure]) - int(x[4][measure])
        by[x[2]][1] += 1
    low, high = bootstrap(list(by.values()), reps, rng)
    return {"clips": len(pairs), "only_first": b, "only_second": c, "p_mcnemar": mcnemar(b, c),
            "difference": (c - b) / len(pairs) if pairs else math.nan, "low": low, "high": high}


def percent(x):
    return "—" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{100 * x:.1f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folds")
    parser.add_argument("--model", action="append", required=True, metavar="NAME=CSV[,CSV...]")
    parser.add_argument("--json")
    parser.add_argument("--reps", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    folds = read_folds(args.folds)
    models = {}
    for spec in args.model:
        name, _, paths = spec.partition("=")
        if not paths:
            sys.exit(f"error: --model {spec}: expected NAME=CSV")
        predictions = read_model(paths, folds)
        models[name] = (outcomes(predictions, folds), [s for _, s in predictions.values() if s is not None])
    dev = sum(1 for f in folds.values() if f[2] != "train")
    measures = ["ten words", "12-label", "12-label other clips", "12-label: other 25 words", "12-label: none of the 35",
                "12-label: real noise", "35 words"]
    report = {"dev_clips": dev, "models": {}, "comparisons": {}}
    print(f"{dev} dev clips in {len({f[2] for f in folds.values()} - {'train'})} folds; 95 % intervals: speaker-clustered "
          f"bootstrap, {args.reps} draws.\n")
    print("| model | " + " | ".join(measures) + " |")
    print("| --- |" + " ---: |" * len(measures))
    for name, (items, seconds) in models.items():
        rng = random.Random(args.seed)
        scores = {m: score(items, m, args.reps, rng) for m in measures}
        scores.update({f"word {w}": score(items, f"word {w}", args.reps, rng) for w in WORDS35})
        folds_ten = {}
        for fold in sorted({i[3] for i in items}):
            subset = [i for i in items if i[3] == fold]
            folds_ten[fold] = score(subset, "ten words", 0, rng) if any("ten words" in i[4] for i in subset) else None
        report["models"][name] = {"scores": scores, "folds_ten_words": folds_ten, "clips_scored": len(items),
                                  "ms_per_clip": 1000 * sum(seconds) / len(seconds) if seconds else None}
        cells = [f"{percent(s['accuracy'])} % [{percent(s['low'])}, {percent(s['high'])}] ({s['right']}/{s['clips']})"
                 for s in (scores[m] for m in measures)]
        print(f"| {name} | " + " | ".join(cells) + " |")
    print("\nPer word (35 words; 95 % interval):\n")
    print("| word | " + " | ".join(models) + " |")
    print("| --- |" + " ---: |" * len(models))
    for w in WORDS35:
        cells = []
        for name in models:
            s = report["models"][name]["scores"][f"word {w}"]
            cells.append(f"{percent(s['accuracy'])} [{percent(s['low'])}, {percent(s['high'])}] ({s['clips']})")
        print(f"| {w} | " + " | ".join(cells) + " |")
    print("\nTen words per fold:\n")
    for name in models:
        per = report["models"][name]["folds_ten_words"]
        print(f"- {name}: " + ", ".join(f"fold {f} {percent(s['accuracy'])} % ({s['clips']})" for f, s in per.items() if s))
        if report["models"][name]["ms_per_clip"] is not None:
            print(f"  {report['models'][name]['ms_per_clip']:.1f} ms a clip")
    names = list(models)
    if len(names) > 1:
        print("\nPaired (second against first, on the clips both scored): clips only the first / only the second gets "
              "right, exact McNemar p, difference in accuracy [95 % cluster-bootstrap interval]:\n")
        for i, first in enumerate(names):
            for second in names[i + 1:]:
                for m in ("ten words", "12-label", "35 words"):
                    rng = random.Random(args.seed)
                    c = compare(models[first][0], models[second][0], m, args.reps, rng)
                    report["comparisons"][f"{second} vs {first}: {m}"] = c
                    print(f"- {second} vs {first}, {m}: {c['only_first']} / {c['only_second']} of {c['clips']}, "
                          f"p = {c['p_mcnemar']:.2g}, ".replace("p = 0, ", "p < 1e-300, ") + f"{100 * c['difference']:+.1f} points "
                          f"[{100 * c['low']:+.1f}, {100 * c['high']:+.1f}]")
    if args.json:
        with open(args.json + ".tmp", "w") as f:
            json.dump(report, f, indent=1)
        os.replace(args.json + ".tmp", args.json)


if __name__ == "__main__":
    main()
