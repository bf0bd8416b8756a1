// The page: loads the exported step model (and, for a model over the speech embedding, the encoder's two files beside
// it), listens to the microphone, shows the words it hears with their scores.
import * as ort from './node_modules/onnxruntime-web/dist/ort.wasm.min.mjs';
import { modelInfo, onnxStep, readMetadata, recognizerOptions, StreamingRecognizer } from './recognizer.mjs';
import { embeddingStep, loadFrontEnd } from './speech-embedding.mjs';

const params = new URLSearchParams(location.search);
const modelUrl = params.get('model') ?? 'model/step.onnx';
// ?threshold=0.9 and ?keywords=yes,no,stop override the model's recognizer defaults; the recognizer refuses bad ones.
const number = (text) => (text.trim() === '' ? NaN : Number(text)); // Number('') would be 0
const options = {
  ...(params.has('threshold') ? { threshold: number(params.get('threshold')) } : {}),
  ...(params.has('keywords') ? { keywords: params.get('keywords').split(',').map((w) => w.trim()).filter((w) => w) } : {}),
};
const $ = (id) => document.getElementById(id);

ort.env.wasm.wasmPaths = new URL('./node_modules/onnxruntime-web/dist/', import.meta.url).href;
ort.env.wasm.numThreads = 1; // threads need cross-origin isolation; one is fast enough for one stream

const state = { detections: [], status: 'loading' };
window.tfcrnn = state; // for tests and the curious

function setStatus(text) {
  state.status = text;
  $('status').textContent = text;
}

async function fetchBytes(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status} ${response.statusText}`);
  return response.arrayBuffer();
}

async function load() {
  const bytes = await fetchBytes(modelUrl);
  const info = modelInfo(readMetadata(globalThis.protobuf, bytes));
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  $('model').textContent = `${info.variant}: ${info.labels.length} classes, a decision every ${(1000 * info.hop) / info.sampleRate} ms`;
  if (!info.frontEnd) return { info, step: onnxStep(ort, session, info) };
  showFrontEnd(info);
  // The encoder's files lie beside the step graph, in the folder tfcrnn export wrote.
  const frontEnd = await loadFrontEnd(ort, info, (name) => fetchBytes(new URL(name, new URL(modelUrl, location.href))));
  return { info, step: embeddingStep(ort, frontEnd, session, info) };
}

/** Where a model over the speech embedding gets its front end, and what is known of its licence. */
function showFrontEnd(info) {
  const note = $('front-end');
  note.hidden = false;
  note.querySelector('.package').textContent = info.frontEnd.package;
  note.querySelector('.licence').textContent = info.frontEnd.licence;
}

function showStep(info, listened, step) {
  const top = step.posteriors.map((p, i) => ({ word: info.labels[i], p }))
    .filter((w) => listened.includes(info.labels.indexOf(w.word)))
    .sort((a, b) => b.p - a.p).slice(0, 5);
  $('live').replaceChildren(...top.map(({ word, p }) => {
    const row = document.createElement('div');
    row.className = 'bar';
    row.innerHTML = `<span class="word"></span><span class="fill" style="width:${(100 * p).toFixed(1)}%"></span><span class="score">${p.toFixed(2)}</span>`;
    row.querySelector('.word').textContent = word;
    return row;
  }));
  if (!step.detection) return;
  const d = step.detection;
  state.detections.push(d);
  const item = document.createElement('li');
  item.innerHTML = `<span class="word"></span> <span class="score">${d.score.toFixed(2)}</span> <span class="time">${d.end.toFixed(1)} s</span>`;
  item.querySelector('.word').textContent = d.word;
  $('heard').prepend(item);
}

async function listen({ info, step }) {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false } });
  const context = new AudioContext();
  await context.audioWorklet.addModule('capture-worklet.js');
  const source = context.createMediaStreamSource(stream);
  const capture = new AudioWorkletNode(context, 'capture-processor', { processorOptions: { targetRate: info.sampleRate } });
  const recognizer = new StreamingRecognizer(info, step, options, (step) => showStep(info, recognizer.keywordIndices, step));
  // Chunks are recognised one after another; the queue absorbs the time a step takes.
  let queue = Promise.resolve();
  capture.port.onmessage = ({ data }) => { queue = queue.then(() => recognizer.push(data)); };
  source.connect(capture);
  setStatus(`listening (${context.sampleRate} Hz → ${info.sampleRate} Hz)`);
}

const model = load().then((m) => {
  try {
    recognizerOptions(m.info, options);
  } catch (e) {
    setStatus(e.message);
    throw e;
  }
  setStatus('ready: press Listen');
  $('listen').disabled = false;
  return m;
}, (e) => { setStatus(`could not load ${modelUrl}: ${e.message}`); throw e; });
$('listen').addEventListener('click', async () => {
  $('listen').disabled = true;
  try {
    await listen(await model);
  } catch (e) {
    setStatus(`microphone: ${e.message}`);
    $('listen').disabled = false;
  }
});
