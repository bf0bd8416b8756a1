// The capture worklet's resampler on what a microphone gives at 44.1 and 48 kHz, and the cases it shares with C#.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Resampler } from '../resampler.mjs';
import { decodeSamples, loadCases, runCase } from './resampler-cases.mjs';

const rms = (a) => Math.sqrt(a.reduce((sum, x) => sum + x * x, 0) / a.length);
const decibels = (ratio) => 20 * Math.log10(ratio);

/** The 16 kHz output of `signal` pushed in the worklet's blocks of 128 frames. */
function resample(fromRate, signal, block = 128) {
  const resampler = new Resampler(fromRate, 16000);
  const out = [];
  for (let i = 0; i < signal.length; i += block) out.push(...resampler.push(signal.subarray(i, i + block)));
  return Float32Array.from(out);
}

/** Two seconds of `phase(t)` (radians at t seconds) sampled at `rate`. */
const signal = (rate, phase) => Float32Array.from({ length: 2 * rate }, (_, i) => Math.sin(phase(i / rate)));

for (const rate of [44100, 48000]) {
  test(`at ${rate} Hz, a sweep from 8 kHz to ${rate / 2} Hz does not fold into the 16 kHz output`, () => {
    // A linear sweep over the band that 16 kHz cannot hold: linear interpolation let it all fold back (attenuated by
    // 2.9 dB at 44.1 kHz, not at all at 48 kHz); this filter attenuates it by 120 dB.
    const [low, high] = [8000, rate / 2];
    const sweep = signal(rate, (t) => 2 * Math.PI * (low * t + ((high - low) * t * t) / 4));
    // Faded in over 20 ms: a sudden start would be a click, heard in every band.
    const fade = 0.02 * rate;
    for (let i = 0; i < fade; i++) sweep[i] *= 0.5 - 0.5 * Math.cos((Math.PI * i) / fade);
    const out = resample(rate, sweep);
    const attenuation = -decibels(rms(out) / rms(sweep));
    assert.ok(attenuation >= 100, `aliases attenuated by only ${attenuation.toFixed(1)} dB`);
  });

  test(`at ${rate} Hz, tones up to 6 kHz keep their amplitude and timing`, () => {
    for (const frequency of [100, 1000, 3000, 6000]) {
      const out = resample(rate, signal(rate, (t) => 2 * Math.PI * frequency * t));
      // Output sample j is the input at j / 16000 s (the end holds the filter's latency of 3 ms, not output yet).
      assert.equal(out.length, 32000 - 48);
      // After the first 3 ms, whose filter still reaches into the silence before the stream.
      let error = 0;
      for (let j = 48; j < out.length; j++) error = Math.max(error, Math.abs(out[j] - Math.sin((2 * Math.PI * frequency * j) / 16000)));
      assert.ok(error <= 1e-4, `${frequency} Hz: off by up to ${error}`);
    }
  });
}

test('the output does not depend on how the input is cut into blocks, and 16 kHz passes through', () => {
  const noise = Float32Array.from({ length: 44100 }, (_, i) => Math.sin(i * i * 1e-3));
  assert.deepEqual(resample(44100, noise, 1000), resample(44100, noise, 37));
  assert.deepEqual(new Resampler(16000, 16000).push(noise), noise);
});

// The cases shared with TfCrnn.Runtime's StreamingResampler (tests/fixtures/resampler/): the same samples, bit for bit.
for (const c of loadCases().cases) {
  test(`resampler case: ${c.name}`, () => {
    assert.deepEqual(runCase(c), decodeSamples(c.expected));
  });
}
