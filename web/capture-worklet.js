// Microphone samples → 16 kHz mono chunks for the recognizer. Resamples from the audio context's rate with a
// windowed-sinc filter that removes what lies above 8 kHz instead of folding it into the speech band (resampler.mjs;
// a context opened at 16 kHz passes samples through) and posts about every 100 ms.
import { Resampler } from './resampler.mjs';

class CaptureProcessor extends AudioWorkletProcessor {
  constructor(options) {
    super();
    this.resampler = new Resampler(sampleRate, options.processorOptions.targetRate);
    this.chunk = new Float32Array(Math.round(options.processorOptions.targetRate / 10));
    this.filled = 0;
  }

  process(inputs) {
    const channels = inputs[0];
    if (!channels || channels.length === 0) return true;
    const frames = channels[0].length;
    const mono = new Float32Array(frames);
    for (const channel of channels) for (let i = 0; i < frames; i++) mono[i] += channel[i] / channels.length;
    for (const sample of this.resampler.push(mono)) {
      this.chunk[this.filled++] = sample;
      if (this.filled === this.chunk.length) {
        this.port.postMessage(this.chunk.slice());
        this.filled = 0;
      }
    }
    return true;
  }
}

registerProcessor('capture-processor', CaptureProcessor);
