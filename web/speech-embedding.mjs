// The speech-embedding front end in onnxruntime-web, as TfCrnn.Runtime's SpeechEmbeddingStepModel computes it: a step's
// window is the samples of one embedding window (10 blocks of 1,632 samples, one every 1,280). Each block's 8 log-mel
// frames are one call of melspectrogram.onnx on its samples × 32767 (the int16 scale openWakeWord feeds), rescaled
// dB / 10 + 2; the last 76 of the window's frames go through embedding_model.onnx, and its 96 features, with the
// state, through the model's step graph. A window that continues the previous one (shifted by one hop) reuses its
// blocks: one new block a step. Every number comes from the model's front_end_geometry metadata (modelInfo).

/** The SHA-256 of bytes, lower-case hex (Web Crypto, in the page and in node). */
export async function sha256(bytes) {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The front end's two graph files, read with `read(name)` (resolves to their bytes: they lie beside the model's step
 * graph, in the folder tfcrnn export wrote), each checked against the SHA-256 the model's metadata records; resolves
 * to their sessions { mel, embedding }.
 */
export async function loadFrontEnd(ort, info, read) {
  const sessions = {};
  for (const [key, name] of [['mel', 'melspectrogram.onnx'], ['embedding', 'embedding_model.onnx']]) {
    const bytes = await read(name);
    const hash = await sha256(bytes);
    if (hash !== info.frontEnd.files[name])
      throw new Error(`${name}: SHA-256 ${hash}, but the model was exported with ${info.frontEnd.files[name]} (${info.frontEnd.package})`);
    sessions[key] = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  }
  return sessions;
}

/**
 * The step function (as recognizer.mjs's onnxStep) of a model over the speech embedding: the window all `batch`
 * lanes hear → its embedding (once) → the model's step graph `head` (inputs features (1, 96) and hidden, broadcast
 * over the lanes). `frontEnd` holds the sessions of loadFrontEnd.
 */
export function embeddingStep(ort, frontEnd, head, info) {
  const g = info.frontEnd.geometry;
  const blockValues = g.block_frames * g.mel_bands;
  const windowValues = g.window_frames * g.mel_bands;
  const frames = new Float32Array(g.window_blocks * blockValues);
  const scaled = new Float32Array(g.block_samples);
  const kept = info.window - info.hop;
  let previous = null;

  /** One block's frames (one call of the log-mel graph) into `frames` at block `b`. */
  const block = async (samples, b) => {
    for (let i = 0; i < samples.length; i++) scaled[i] = samples[i] * g.input_scale;
    const out = await frontEnd.mel.run({ [frontEnd.mel.inputNames[0]]: new ort.Tensor('float32', scaled, [1, g.block_samples]) });
    const decibels = out[frontEnd.mel.outputNames[0]].data; // (1, 1, 8, 32)
    for (let i = 0; i < blockValues; i++) frames[b * blockValues + i] = decibels[i] / 10 + 2;
  };
  const continues = (window) => {
    if (previous === null) return false;
    for (let i = 0; i < kept; i++) if (window[i] !== previous[info.hop + i]) return false;
    return true;
  };

  return async (window, state, batch) => {
    if (window.length !== info.window) throw new Error(`step: ${window.length} window samples, expected one window of ${info.window} for all lanes`);
    if (continues(window)) {
      frames.copyWithin(0, blockValues);
      await block(window.subarray(info.window - g.block_samples), g.window_blocks - 1);
    } else {
      for (let b = 0; b < g.window_blocks; b++) await block(window.subarray(b * g.step_samples, b * g.step_samples + g.block_samples), b);
    }
    previous = Float32Array.from(window);
    const input = new ort.Tensor('float32', frames.slice(0, windowValues), [1, g.window_frames, g.mel_bands, 1]);
    const embedded = await frontEnd.embedding.run({ [frontEnd.embedding.inputNames[0]]: input });
    const features = embedded[frontEnd.embedding.outputNames[0]].data;
    const out = await head.run({
      features: new ort.Tensor('float32', Float32Array.from(features), [1, g.dimensions]),
      hidden: new ort.Tensor('float32', state, [batch, info.stateSize]),
    });
    return { logits: out.logits.data, state: out.next_hidden.data };
  };
}
