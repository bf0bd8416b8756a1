// Microphone samples → 16 kHz mono chunks for the recognizer. Resamples from the audio context's rate by linear
// interpolation (a context opened at 16 kHz passes samples through) and posts about every 100 ms.
class CaptureProcessor extends AudioWorkletProcessor {
  constructor(options) {
    super();
    this.targetRate = options.processorOptions.targetRate;
    this.step = sampleRate / this.targetRate; // input samples per output sample
    this.position = 0; // where the next output sample falls, in input samples from the start of `previous`
    this.previous = 0;
    this.chunk = new Float32Array(Math.round(this.targetRate / 10));
    this.filled = 0;
  }

  process(inputs) {
    const channels = inputs[0];
    if (!channels || channels.length === 0) return true;
    const frames = channels[0].length;
    const mono = new Float32Array(frames);
    for (const channel of channels) for (let i = 0; i < frames; i++) mono[i] += channel[i] / channels.length;
    // Input sample i of this block sits at position i + 1 (position 0 is the last sample of the previous block).
    while (this.position <= frames) {
      const index = Math.floor(this.position);
      const fraction = this.position - index;
      const left = index === 0 ? this.previous : mono[index - 1];
      const right = index === frames ? left : mono[index];
      this.chunk[this.filled++] = left + (right - left) * fraction;
      if (this.filled === this.chunk.length) {
        this.port.postMessage(this.chunk.slice());
        this.filled = 0;
      }
      this.position += this.step;
    }
    this.position -= frames;
    this.previous = mono[frames - 1];
    return true;
  }
}

registerProcessor('capture-processor', CaptureProcessor);
