// The page's recognizer on an exported step graph in node (onnxruntime-web's WebAssembly backend, one thread, as the
// page runs it): milliseconds per decision step with the window passed once for all lanes (a graph exported with
// window_batch) and, for comparison, with the window repeated in every lane (as for an older export).
//   node bench.mjs MODEL_FOLDER [STATE] [SECONDS] [ROUNDS]      e.g. node bench.mjs model sliding 10 3
// The best of ROUNDS interleaved runs of each, in processor time (and wall time) per step.
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';
import protobuf from 'protobufjs';
import { modelInfo, onnxStep, readMetadata, StreamingRecognizer } from './recognizer.mjs';

const [folder, state = 'sliding', seconds = '10', rounds = '3'] = process.argv.slice(2);
ort.env.wasm.numThreads = 1;
const bytes = readFileSync(`${folder}/step.onnx`);
const info = modelInfo(readMetadata(protobuf, bytes));
const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
console.log(`${info.variant}, window input ${JSON.stringify(session.inputMetadata.find((m) => m.name === 'window')?.shape)}`);
// Any audio will do (a chirp at speech level): the work per step does not depend on it.
const audio = Float32Array.from({ length: Number(seconds) * info.sampleRate }, (_, i) => 0.1 * Math.sin(i * i * 1e-4));

const posteriors = {};
const best = {};
async function measure(label, theSession) {
  const heard = (posteriors[label] = []);
  const recognizer = new StreamingRecognizer(info, onnxStep(ort, theSession, info), { state }, (s) => heard.push(...s.posteriors));
  await recognizer.push(audio.subarray(0, info.window)); // primes the lanes
  const before = recognizer.windows;
  const start = performance.now();
  const cpu = process.cpuUsage();
  for (let at = info.window; at < audio.length; at += info.hop) await recognizer.push(audio.subarray(at, at + info.hop));
  const steps = recognizer.windows - before;
  const { user, system } = process.cpuUsage(cpu);
  const ms = { cpu: (user + system) / 1000 / steps, wall: (performance.now() - start) / steps, lanes: recognizer.lanes };
  if (!(best[label]?.cpu <= ms.cpu)) best[label] = ms;
}

// A session that hides the window's window_batch dimension: the window goes to every lane, as before.
const repeating = { inputMetadata: [], run: (feeds) => session.run(feeds) };
// Interleaved rounds, the best of each kept: the machine's other work only ever adds time.
for (let round = 0; round < Number(rounds); round++) {
  await measure('one window for all lanes', session);
  await measure('the window in every lane', repeating);
}
const rtf = (ms) => ((ms / 1000) * info.sampleRate) / info.hop;
for (const [label, ms] of Object.entries(best))
  console.log(`${label}: ${ms.lanes} lanes, ${ms.cpu.toFixed(2)} ms of CPU a step (RTF ${rtf(ms.cpu).toFixed(3)}), ${ms.wall.toFixed(2)} ms wall`);
const [shared, repeated] = Object.values(posteriors);
console.log(`largest difference between their posteriors: ${Math.max(...shared.map((p, i) => Math.abs(p - repeated[i])))}`);
