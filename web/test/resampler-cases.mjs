// The shared resampler cases (tests/fixtures/resampler/cases.json, described in its README.md) run through
// resampler.mjs, as tests/TfCrnn.Tests/Runtime/ResamplerCaseTests.cs runs them through TfCrnn.Runtime's
// StreamingResampler. `node test/resampler-cases.mjs --write` (in web/) writes each case's expected output anew from
// resampler.mjs: after a deliberate change of the filter, which the C# resampler must then follow.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Resampler } from '../resampler.mjs';

export const casesFile = new URL('../../tests/fixtures/resampler/cases.json', import.meta.url);

export function loadCases() {
  return JSON.parse(readFileSync(casesFile, 'utf8'));
}

/**
 * The input of a case: segments one after another, `{samples, value}` constant or `{samples, noise: seed}` white noise
 * of 16-bit codes from xorshift32 (code = the state's high 16 bits − 32768, sample = code / 32768, exact in float32).
 */
export function caseInput(segments) {
  const input = new Float32Array(segments.reduce((n, s) => n + s.samples, 0));
  let at = 0;
  for (const segment of segments) {
    if (segment.noise === undefined) {
      input.fill(segment.value, at, at + segment.samples);
    } else {
      let state = segment.noise >>> 0;
      for (let i = 0; i < segment.samples; i++) {
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;
        state >>>= 0;
        input[at + i] = ((state >>> 16) - 32768) / 32768;
      }
    }
    at += segment.samples;
  }
  return input;
}

/** A case's output: its input pushed in blocks of the case's sizes (cycled), the outputs of every push joined. */
export function runCase(c) {
  const input = caseInput(c.input);
  const resampler = new Resampler(c.from, c.to);
  const out = [];
  for (let at = 0, i = 0; at < input.length; i++) {
    const size = c.pushes[i % c.pushes.length];
    out.push(...resampler.push(input.subarray(at, at + size)));
    at += size;
  }
  return Float32Array.from(out);
}

/** Float32 little-endian samples as base64, as the cases hold their expected output. */
export const encodeSamples = (samples) => Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength).toString('base64');

export function decodeSamples(base64) {
  const bytes = Buffer.from(base64, 'base64');
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv.includes('--write')) {
  const cases = loadCases();
  for (const c of cases.cases) c.expected = encodeSamples(runCase(c));
  writeFileSync(casesFile, `${JSON.stringify(cases, null, 1)}\n`);
  console.log(`wrote ${cases.cases.length} cases to ${fileURLToPath(casesFile)}`);
}
