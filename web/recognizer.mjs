// The streaming recognizer of TfCrnn.Runtime in JavaScript, step for step: the same framing (AudioFramer), state
// lanes (StatePolicy, LaneRunner), posterior smoothing (PosteriorSmoother) and detection rule (DetectionRule).
// Every number comes from the exported model's metadata (tfcrnn export writes it): labels, sample rate, window,
// hop, steps per clip, input scale, state size and the recognizer's defaults; for a model over a front end (the
// speech embedding: speech-embedding.mjs), the front end's numbers and files too.

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
  // The steps the model is trained on (StepModelInfo.StepsPerClip), from 'steps'; an export made before that key
  // existed (the paper's nine only) has the authors' 2 × (clip div window) − 1 (OnnxMetadata.LegacyStepsPerClip).
  info.stepsPerClip = 'steps' in metadata ? number('steps') : 2 * Math.floor(info.clipSamples / info.window) - 1;
  if (!(Number.isInteger(info.stepsPerClip) && info.stepsPerClip >= 1 && (info.stepsPerClip - 1) * info.hop + info.window <= info.clipSamples))
    throw new Error(`model metadata: ${info.stepsPerClip} steps per clip of a ${info.window}-sample window every ${info.hop} samples do not fit in the ${info.clipSamples}-sample clip`);
  info.frontEnd = frontEnd(metadata, info);
  return info;
}

/** The front end a model's graphs take features from (OnnxMetadata.FrontEnd and what goes with it); null for a waveform model. */
function frontEnd(metadata, info) {
  if (metadata.front_end === undefined) return null;
  if (metadata.front_end !== 'speech-embedding')
    throw new Error(`model metadata: the '${metadata.front_end}' front end is not one this page knows (it runs speech-embedding and waveform models)`);
  const json = (key) => {
    try {
      return JSON.parse(metadata[key]);
    } catch {
      throw new Error(`model metadata '${key}' missing or not JSON`);
    }
  };
  const geometry = json('front_end_geometry');
  const files = json('encoder_files');
  // A step's window is one embedding window's blocks (SpeechEmbeddingGeometry.StepWindowSamples), one step per block.
  const window = (geometry.window_blocks - 1) * geometry.step_samples + geometry.block_samples;
  if (info.window !== window || info.hop !== geometry.step_samples || info.inputScale !== 1 || info.sampleRate !== geometry.sample_rate)
    throw new Error(`model metadata: a ${info.window}-sample window every ${info.hop} samples (input scale ${info.inputScale}) is not the speech embedding's ${window} every ${geometry.step_samples} (input scale 1)`);
  for (const name of ['melspectrogram.onnx', 'embedding_model.onnx'])
    if (typeof files[name] !== 'string') throw new Error(`model metadata 'encoder_files' does not name ${name}`);
  return { name: metadata.front_end, geometry, files, package: metadata.encoder_package ?? '', licence: metadata.encoder_licence ?? '' };
}

/** An option the recognizer refuses; the message names the option (its key in `recognizer` metadata) first. */
export class OptionError extends Error {
  constructor(option, problem) {
    super(`${option}: ${problem}`);
    this.option = option;
  }
}

/** A state policy spelling (carry, sliding, reset:N, staggered:L:N) parsed and checked as StatePolicy.Parse does. */
export function parseStatePolicy(text) {
  const parts = String(text).split(':');
  // int.TryParse with NumberStyles.None: digits only, within an int.
  const number = (part) => {
    const n = /^[0-9]+$/.test(part) ? Number(part) : NaN;
    if (!(n > 0 && n <= 2 ** 31 - 1)) throw new OptionError('state', `'${text}': '${part}' is not a positive number`);
    return n;
  };
  const policy = (() => {
    switch (`${parts[0]}/${parts.length}`) {
      case 'carry/1': return { kind: 'carry' };
      case 'sliding/1': return { kind: 'sliding' };
      case 'reset/2': return { kind: 'reset', lanes: 1, period: number(parts[1]) };
      case 'staggered/3': return { kind: 'staggered', lanes: number(parts[1]), period: number(parts[2]) };
      default: throw new OptionError('state', `'${text}' is not a state policy; expected carry, reset:STEPS, staggered:LANES:STEPS or sliding`);
    }
  })();
  if (policy.kind === 'staggered' && policy.period < policy.lanes)
    throw new OptionError('state', `${text}: needs a period of at least 1 step and at least as many steps as lanes`);
  return policy;
}

/** Lanes and reset period of a parsed state policy for a model, as StatePolicy.For. */
function lanesOf(policy, info) {
  if (info.stateSize === 0) return { lanes: 1, period: null };
  switch (policy.kind) {
    case 'carry': return { lanes: 1, period: null };
    case 'sliding': return { lanes: info.stepsPerClip, period: info.stepsPerClip };
    default: return { lanes: policy.lanes, period: policy.period };
  }
}

const optionKeys = ['state', 'smoothing_steps', 'threshold', 'refractory_seconds', 'keywords'];

/**
 * The recognizer's options: `options` over the model's recognizer metadata, checked as RecognizerOptions.Validate
 * and KeywordIndices do. Throws an OptionError naming the first bad option.
 */
export function recognizerOptions(info, options = {}) {
  const unknown = Object.keys(options).find((key) => !optionKeys.includes(key));
  if (unknown !== undefined) throw new OptionError(unknown, `is not an option (the options: ${optionKeys.join(', ')})`);
  const o = { ...info.recognizer, ...options };
  const state = parseStatePolicy(o.state);
  const smoothingSteps = o.smoothing_steps;
  if (!(Number.isInteger(smoothingSteps) && smoothingSteps >= 1))
    throw new OptionError('smoothing_steps', `must be at least 1 step, got ${smoothingSteps}`);
  const threshold = o.threshold;
  if (!(typeof threshold === 'number' && threshold >= 0 && threshold <= 1))
    throw new OptionError('threshold', `must lie in [0, 1], got ${threshold}`);
  const refractorySeconds = o.refractory_seconds;
  if (!(typeof refractorySeconds === 'number' && refractorySeconds >= 0 && Number.isFinite(refractorySeconds)))
    throw new OptionError('refractory_seconds', `must be 0 or more seconds, got ${refractorySeconds}`);
  return { state, smoothingSteps, threshold, refractorySeconds, keywords: keywordIndices(info, o.keywords) };
}

export function softmax(logits) {
  const max = Math.max(...logits);
  const exps = logits.map((l) => Math.exp(l - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

/**
 * Keywords in a stream of 16 kHz samples pushed in chunks of any size. `step(window, state, batch)` runs the model on
 * one window that all `batch` lanes hear (resolves to { logits, state }, row-major Float32Arrays, as IStepModel.Step);
 * `onStep({ index, end, posteriors, detection })` sees every decision step. Options (recognizerOptions) default to the
 * model's recognizer metadata; `keywords` (a list of words) listens for those only, as `RecognizerOptions.Keywords`.
 */
export class StreamingRecognizer {
  constructor(info, step, options = {}, onStep = () => {}) {
    this.info = info;
    this.step = step;
    this.onStep = onStep;
    const o = recognizerOptions(info, options);
    this.threshold = o.threshold;
    this.refractorySeconds = o.refractorySeconds;
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
    this.smoothingSteps = o.smoothingSteps;
    // DetectionRule.
    this.keywordIndices = o.keywords;
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

  /** Advances every lane by one window, passed once for all of them (LaneRunner.Step). */
  async runLanes(window) {
    const { lanes, period } = this;
    const size = this.info.stateSize;
    for (let i = 0; i < lanes; i++) {
      if (this.laneSteps > 0 && period !== null && (this.laneSteps - this.offsets[i]) % period === 0) {
        this.state.fill(0, i * size, (i + 1) * size);
        this.lastReset[i] = this.laneSteps;
      }
    }
    const output = await this.step(window, this.state, lanes);
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
function keywordIndices(info, keywords) {
  if (keywords === undefined || keywords === null) return info.keywordIndices;
  if (!Array.isArray(keywords)) throw new OptionError('keywords', `must be a list of words, got ${JSON.stringify(keywords)}`);
  if (keywords.length === 0) throw new OptionError('keywords', 'must name at least one word');
  const twice = keywords.find((word, i) => keywords.indexOf(word) !== i);
  if (twice !== undefined) throw new OptionError('keywords', `names '${twice}' twice`);
  return keywords.map((word) => {
    const k = info.labels.indexOf(word);
    if (!info.keywordIndices.includes(k)) {
      const known = info.keywordIndices.map((i) => info.labels[i]).join(',');
      throw new OptionError('keywords', `'${word}' is not a keyword of the model (its keywords: ${known})`);
    }
    return k;
  });
}

/**
 * The step function of an onnxruntime-web session on an exported step.onnx. A graph whose window batch is
 * `window_batch` (OnnxMetadata.WindowBatchDimension) takes the one window for all lanes, so its layers before the
 * state run once per step; an older export gets the window repeated for every lane.
 */
export function onnxStep(ort, session, info) {
  const input = session.inputMetadata?.find((m) => m.name === 'window');
  const sharesWindow = info.stateSize > 0 && input?.shape?.[0] === 'window_batch';
  let repeated = null;
  return async (window, state, batch) => {
    let windows = window;
    if (!sharesWindow && batch > 1) {
      if (repeated?.length !== batch * window.length) repeated = new Float32Array(batch * window.length);
      for (let i = 0; i < batch; i++) repeated.set(window, i * window.length);
      windows = repeated;
    }
    const feeds = { window: new ort.Tensor('float32', windows, [windows.length / info.window, 1, info.window]) };
    if (info.stateSize > 0) feeds.hidden = new ort.Tensor('float32', state, [batch, info.stateSize]);
    const out = await session.run(feeds);
    return { logits: out.logits.data, state: info.stateSize > 0 ? out.next_hidden.data : state };
  };
}
