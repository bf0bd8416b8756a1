// The streaming recognizer of TfCrnn.Runtime in JavaScript, step for step: the same framing (AudioFramer), state
// lanes (StatePolicy, LaneRunner), posterior smoothing (PosteriorSmoother) and detection rule (DetectionRule).
// Every number comes from the exported model's metadata (tfcrnn export writes it): labels, sample rate, window,
// hop, input scale, state size and the recognizer's defaults.

/** Reads the metadata_props of an exported .onnx file (bytes) with protobufjs: ModelProto field 14. */
export function readMetadata(protobuf, bytes) {
  const root = protobuf.Root.fromJSON({
    nested: {
      ModelProto: { fields: { metadataProps: { rule: 'repeated', type: 'StringStringEntryProto', id: 14 } } },
      StringStringEntryProto: { fields: { key: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } } },
    },
  });
  const model = root.lookupType('ModelProto').decode(new Uint8Array(bytes));
  return Object.fromEntries(model.metadataProps.map((p) => [p.key, p.value]));
}

/** What the recognizer needs from the metadata (TfCrnn.Runtime's StepModelInfo and RecognizerOptions defaults). */
export function modelInfo(metadata) {
  const number = (key) => {
    const value = Number(metadata[key]);
    if (!Number.isFinite(value)) throw new Error(`model metadata '${key}' missing or not a number`);
    return value;
  };
  const labels = JSON.parse(metadata.labels);
  const isKeyword = (label) => !(label.length > 2 && label.startsWith('_') && label.endsWith('_'));
  const info = {
    variant: metadata.variant,
    labels,
    keywordIndices: labels.map((l, i) => (isKeyword(l) ? i : -1)).filter((i) => i >= 0),
    sampleRate: number('sample_rate'),
    window: number('window'),
    hop: number('hop'),
    clipSamples: number('clip_samples'),
    stateSize: number('hidden_size'),
    inputScale: number('input_scale'), // multiplies samples in [-1, 1]
    recognizer: JSON.parse(metadata.recognizer),
  };
  // The steps the model is trained on (StepModelInfo.StepsPerClip): 2 × (clip div window) − 1.
  info.stepsPerClip = 2 * Math.floor(info.clipSamples / info.window) - 1;
  return info;
}

/** Lanes and reset period of a state policy spelling (carry, sliding, reset:N, staggered:L:N), as StatePolicy.For. */
export function lanesOf(policy, info) {
  if (info.stateSize === 0) return { lanes: 1, period: null };
  const [kind, a, b] = policy.split(':');
  switch (kind) {
    case 'carry': return { lanes: 1, period: null };
    case 'reset': return { lanes: 1, period: Number(a) };
    case 'staggered': return { lanes: Number(a), period: Number(b) };
    case 'sliding': return { lanes: info.stepsPerClip, period: info.stepsPerClip };
    default: throw new Error(`unknown state policy '${policy}'`);
  }
}

export function softmax(logits) {
  const max = Math.max(...logits);
  const exps = logits.map((l) => Math.exp(l - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

/**
 * Keywords in a stream of 16 kHz samples pushed in chunks of any size. `step(windows, state, batch)` runs the model
 * (resolves to { logits, state }, row-major Float32Arrays); `onStep({ index, end, posteriors, detection })` sees every
 * decision step. Options default to the model's recognizer metadata; `keywords` (a list of words) listens for those
 * only, as `RecognizerOptions.Keywords` does.
 */
export class StreamingRecognizer {
  constructor(info, step, options = {}, onStep = () => {}) {
    this.info = info;
    this.step = step;
    this.onStep = onStep;
    const o = { ...info.recognizer, ...options };
    this.threshold = o.threshold;
    this.refractorySeconds = o.refractory_seconds;
    // AudioFramer: the audio before the stream's start is silence.
    this.window = new Float32Array(info.window);
    this.filled = info.window - info.hop;
    this.windows = 0;
    // LaneRunner.
    const { lanes, period } = lanesOf(o.state, info);
    this.lanes = lanes;
    this.period = period;
    this.offsets = Array.from({ length: lanes }, (_, i) => (period === null ? 0 : Math.floor((i * period) / lanes)));
    this.lastReset = new Array(lanes).fill(0);
    this.state = new Float32Array(lanes * info.stateSize);
    this.laneSteps = 0;
    // PosteriorSmoother.
    this.recent = [];
    this.smoothingSteps = o.smoothing_steps;
    // DetectionRule.
    this.keywordIndices = keywordIndices(info, o.keywords);
    this.lastEnd = -Infinity;
    this.primed = null;
  }

  /** Feeds samples in [-1, 1]; resolves to the detections decided on them. Calls must not overlap. */
  async push(samples) {
    // Lanes that start with the stream have heard a clip of silence before its first sample.
    this.primed ??= (async () => {
      for (let i = 1; i < this.info.stepsPerClip; i++) await this.runLanes(new Float32Array(this.info.window));
    })();
    await this.primed;
    const detections = [];
    let offset = 0;
    while (offset < samples.length) {
      if (this.filled === this.window.length) {
        this.window.copyWithin(0, this.info.hop);
        this.filled = this.window.length - this.info.hop;
      }
      const count = Math.min(this.window.length - this.filled, samples.length - offset);
      for (let i = 0; i < count; i++) this.window[this.filled + i] = samples[offset + i] * this.info.inputScale;
      this.filled += count;
      offset += count;
      if (this.filled < this.window.length) break;
      this.windows++;
      const posteriors = this.smooth(softmax(await this.runLanes(this.window)));
      const end = (this.windows * this.info.hop) / this.info.sampleRate;
      const detection = this.observe(posteriors, end);
      this.onStep({ index: this.windows - 1, end, posteriors, detection });
      if (detection) detections.push(detection);
    }
    return detections;
  }

  async runLanes(window) {
    const { lanes, period } = this;
    const size = this.info.stateSize;
    const windows = new Float32Array(lanes * window.length);
    for (let i = 0; i < lanes; i++) {
      windows.set(window, i * window.length);
      if (this.laneSteps > 0 && period !== null && (this.laneSteps - this.offsets[i]) % period === 0) {
        this.state.fill(0, i * size, (i + 1) * size);
        this.lastReset[i] = this.laneSteps;
      }
    }
    const output = await this.step(windows, this.state, lanes);
    if (size > 0) this.state = output.state;
    let oldest = 0;
    for (let i = 1; i < lanes; i++) if (this.lastReset[i] < this.lastReset[oldest]) oldest = i;
    this.laneSteps++;
    const classes = output.logits.length / lanes;
    return Array.from(output.logits.subarray(oldest * classes, (oldest + 1) * classes));
  }

  smooth(probabilities) {
    this.recent.push(probabilities);
    if (this.recent.length > this.smoothingSteps) this.recent.shift();
    return probabilities.map((_, k) => this.recent.reduce((sum, p) => sum + p[k], 0) / this.recent.length);
  }

  observe(posteriors, end) {
    let best = -1;
    for (const k of this.keywordIndices) if (best < 0 || posteriors[k] > posteriors[best]) best = k;
    if (posteriors[best] < this.threshold || end - this.lastEnd < this.refractorySeconds - 1e-9) return null;
    this.lastEnd = end;
    const context = this.info.clipSamples / this.info.sampleRate;
    return { word: this.info.labels[best], start: Math.max(0, end - context), end, score: posteriors[best] };
  }
}

/** The class indices of the words that may fire: `keywords`, or every keyword of the model when it is not given. */
export function keywordIndices(info, keywords) {
  if (!keywords) return info.keywordIndices;
  if (keywords.length === 0) throw new Error('keywords: name at least one word');
  const twice = keywords.find((word, i) => keywords.indexOf(word) !== i);
  if (twice !== undefined) throw new Error(`keywords: names '${twice}' twice`);
  return keywords.map((word) => {
    const k = info.labels.indexOf(word);
    if (!info.keywordIndices.includes(k)) {
      const known = info.keywordIndices.map((i) => info.labels[i]).join(',');
      throw new Error(`keywords: '${word}' is not a keyword of the model (its keywords: ${known})`);
    }
    return k;
  });
}

/** The step function of an onnxruntime-web session on an exported step.onnx. */
export function onnxStep(ort, session, info) {
  return async (windows, state, batch) => {
    const feeds = { window: new ort.Tensor('float32', windows, [batch, 1, info.window]) };
    if (info.stateSize > 0) feeds.hidden = new ort.Tensor('float32', state, [batch, info.stateSize]);
    const out = await session.run(feeds);
    return { logits: out.logits.data, state: info.stateSize > 0 ? out.next_hidden.data : state };
  };
}
