// The shared recognizer cases (tests/fixtures/recognizer/cases.json, described in its README.md) run through
// recognizer.mjs, as tests/TfCrnn.Tests/Runtime/RecognizerCaseTests.cs runs them through TfCrnn.Runtime.
import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs/light.js';
import * as ort from '../node_modules/onnxruntime-web/dist/ort.wasm.min.mjs';
import { modelInfo, readMetadata, StreamingRecognizer } from '../recognizer.mjs';
import { embeddingStep, loadFrontEnd } from '../speech-embedding.mjs';
import { caseInput } from './resampler-cases.mjs';

ort.env.wasm.numThreads = 1;

export const casesFile = new URL('../../tests/fixtures/recognizer/cases.json', import.meta.url);

export function loadCases() {
  return JSON.parse(readFileSync(casesFile, 'utf8'));
}

/**
 * The scripted step model of a case: each lane's state counts the steps since its reset (every state value + 1),
 * and class k's logit is bias + age·(its age weight) + level·(its level weight), where age is the lane's first state
 * value after the step (0 without state) and level the mean of the window's scaled samples. `windowsPassed` counts
 * the windows handed to the model: one per call is one trunk pass per step.
 */
export function scriptedModel(model) {
  const info = modelInfo(model.metadata);
  const scripted = {
    info,
    calls: 0,
    windowsPassed: 0,
    async step(window, state, batch) {
      if (window.length % info.window !== 0 || state.length !== batch * info.stateSize)
        throw new Error(`step: ${window.length} window samples and ${state.length} state values for ${batch} lanes`);
      scripted.calls++;
      scripted.windowsPassed += window.length / info.window;
      const next = state.map((s) => s + 1);
      const logits = new Float32Array(batch * info.labels.length);
      for (let lane = 0; lane < batch; lane++) {
        const w = window.length === info.window ? window : window.subarray(lane * info.window, (lane + 1) * info.window);
        const level = w.reduce((sum, x) => sum + x, 0) / w.length;
        const age = info.stateSize > 0 ? next[lane * info.stateSize] : 0;
        model.logits.forEach(([bias, ageWeight, levelWeight], k) => {
          logits[lane * info.labels.length + k] = bias + age * ageWeight + level * levelWeight;
        });
      }
      return { logits, state: next };
    },
  };
  return scripted;
}

/**
 * A case's model that calls its step with counts: the folder a case names in `export` (a model over the speech
 * embedding, as tfcrnn export writes it: its step graph and the encoder's two files) run by onnxruntime-web as the
 * page runs it; else the scripted model of its metadata and logits.
 */
export async function caseModel(model) {
  if (model.export === undefined) return scriptedModel(model);
  const folder = new URL(`${model.export}/`, casesFile);
  const read = (name) => new Uint8Array(readFileSync(new URL(name, folder)));
  const bytes = read('step.onnx');
  const info = modelInfo(readMetadata(protobuf, bytes));
  const head = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  const step = embeddingStep(ort, await loadFrontEnd(ort, info, async (name) => read(name)), head, info);
  const counted = {
    info,
    calls: 0,
    windowsPassed: 0,
    async step(window, state, batch) {
      counted.calls++;
      counted.windowsPassed += window.length / info.window;
      return step(window, state, batch);
    },
  };
  return counted;
}

/**
 * The audio of a case, its segments one after another: [samples, value] constant samples, or {samples, noise: seed,
 * level} the resampler cases' white noise (resampler-cases.mjs) times level.
 */
export function caseAudio(segments) {
  const parts = segments.map((segment) => {
    if (Array.isArray(segment)) return new Float32Array(segment[0]).fill(segment[1]);
    return caseInput([segment]).map((x) => x * segment.level);
  });
  const audio = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) audio.set(part, (at += part.length) - part.length);
  return audio;
}

/** An option value as a case writes it: a string for a number JSON cannot hold ("NaN", "Infinity"). */
const optionValue = (value) => (typeof value === 'string' && /^-?(NaN|Infinity)$/.test(value) ? Number(value) : value);

/**
 * Runs a case: its audio pushed in chunks of the case's sizes (cycled). Resolves to what the expectations compare:
 * { lanes, steps: smoothed posteriors per step, detections: [{ step, word, start, end, score }] } and the model.
 */
export async function runCase(cases, c) {
  const model = await caseModel(cases.models[c.model]);
  const options = Object.fromEntries(Object.entries(c.options).map(([key, value]) => [key, optionValue(value)]));
  const steps = [];
  const detections = [];
  const recognizer = new StreamingRecognizer(model.info, model.step, options, (s) => {
    steps.push(Array.from(s.posteriors));
    if (s.detection) detections.push({ step: s.index, ...s.detection });
  });
  const audio = caseAudio(c.audio);
  for (let at = 0, i = 0; at < audio.length; i++) {
    const size = c.chunks[i % c.chunks.length];
    await recognizer.push(audio.subarray(at, at + size));
    at += size;
  }
  return { lanes: recognizer.lanes, steps, detections, model };
}
