#!/usr/bin/env bash
# Evaluation-only speech of the 35 commands by two speech engines tfcrnn never trains on (flite and festival,
# several voices and speaking rates each), in the Speech Commands layout: 16 kHz mono 16-bit one-second clips,
# the speech trimmed and placed at a seeded random offset (in digital silence, as `tfcrnn synth` now writes), every
# clip listed in testing_list.txt. Use it to measure how a model trained on espeak-ng hears other voices:
#   bench/heldout/make_other_engines.sh /tmp/other-engines
#   ./tfcrnn eval --checkpoint RUN --data /tmp/other-engines --split test
# Never train on it. Installs the Debian packages flite, festival, three festival English voices and sox
# (root or sudo) where missing. Usage: make_other_engines.sh [OUT_DIR (default /tmp/tfcrnn-other-engines)] [SEED (default 0)]
# [NOISE (default 0): the standard deviation of Gaussian noise added to every clip. 0.005, `tfcrnn synth`'s floor until
# 2026-11-27, remakes the clips of the tables before "The white-noise floor: a shortcut" in bench/results/augmentation.md.]
set -euo pipefail
out="${1:-/tmp/tfcrnn-other-engines}"
seed="${2:-0}"
noise="${3:-0}"
words=(backward bed bird cat dog down eight five follow forward four go happy house learn left marvin nine no off
       on one right seven sheila six stop three tree two up visual wow yes zero)
packages=(flite festival festvox-kallpc16k festvox-kdlpc16k festvox-us-slt-hts sox)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing ${missing[*]} (Debian packages)" >&2
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# flite's voices (awb_time speaks only times) and festival's English voices; duration stretch as the speaking rate.
flite_voices=(kal kal16 awb rms slt)
festival_voices=(kal_diphone ked_diphone cmu_us_slt_arctic_hts)
stretches=(0.75 0.9 1.1 1.3)

raw="$(mktemp -d)"
trap 'rm -rf "$raw"' EXIT
for word in "${words[@]}"; do
  for stretch in "${stretches[@]}"; do
    rate="r$(printf '%03d' "$(awk "BEGIN{print int($stretch*100+0.5)}")")"
    for voice in "${flite_voices[@]}"; do
      flite -voice "$voice" --setf duration_stretch="$stretch" -t "$word" -o "$raw/$word.flite-$voice-$rate.wav"
    done
    for voice in "${festival_voices[@]}"; do
      echo "$word" | text2wave -eval "(voice_$voice)" -eval "(Parameter.set 'Duration_Stretch $stretch)" -o "$raw/$word.festival-${voice%%_*}-$rate.wav"
    done
  done
done

# 16 kHz mono 16-bit (sox), then trimmed and placed in one second like tfcrnn synth does.
mkdir -p "$out"
for file in "$raw"/*.wav; do
  sox -q "$file" -r 16000 -c 1 -b 16 "${file%.wav}.16k.wav"
done
python3 - "$raw" "$out" "$seed" "$noise" <<'PY'
import os, random, struct, sys, wave, zlib
raw, out, seed, noise = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
clips = []
for name in sorted(f for f in os.listdir(raw) if f.endswith(".16k.wav")):
    word, speaker = name[:-len(".16k.wav")].split(".", 1)
    with wave.open(os.path.join(raw, name)) as w:
        samples = [s / 32768 for s in struct.unpack("<%dh" % w.getnframes(), w.readframes(w.getnframes()))]
    peak = max(map(abs, samples), default=0)
    loud = [i for i, s in enumerate(samples) if abs(s) > 0.02 * peak]
    speech = samples[loud[0]:loud[-1] + 1][:16000] if loud else []
    rng = random.Random(seed * 1000003 + zlib.crc32(f"{word}/{speaker}".encode()))
    offset = rng.randrange(16000 - len(speech) + 1)
    clip = [0.0] * 16000
    clip[offset:offset + len(speech)] = speech
    clip = [s + rng.gauss(0, noise) for s in clip]
    path = f"{word}/{speaker}_nohash_0.wav"
    os.makedirs(os.path.join(out, word), exist_ok=True)
    with wave.open(os.path.join(out, path), "wb") as w:
        w.setnchannels(1); w.setsampwidth(2); w.setframerate(16000)
        w.writeframes(struct.pack("<16000h", *(max(-32768, min(32767, round(s * 32768))) for s in clip)))
    clips.append(path)
open(os.path.join(out, "testing_list.txt"), "w").write("".join(p + "\n" for p in clips))
open(os.path.join(out, "validation_list.txt"), "w").write("")
engines = {}
for p in clips:
    engine = p.split("/")[1].split("-")[0]
    engines[engine] = engines.get(engine, 0) + 1
print(f"wrote {len(clips)} clips to {out}: " + ", ".join(f"{e} {n}" for e, n in sorted(engines.items())))
PY
