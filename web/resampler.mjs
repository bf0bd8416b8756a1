// Sample-rate conversion of a stream for the capture worklet, in the design of TfCrnn.Audio.Resampler (the WDL
// resampler: a Blackman–Harris windowed sinc, its taps of each output normalised to a gain of 1 at 0 Hz). Its cutoff
// lies lower (0.9 of the lower rate's Nyquist frequency, not 1/1.03) and its filter is longer (48 zero crossings a
// side), so that the transition band ends below 8 kHz for 16 kHz: what the microphone hears above it is filtered out
// instead of folding back into the speech band, and the band up to 6 kHz passes flat. TfCrnn.Runtime's
// StreamingResampler, which `tfcrnn stream` resamples with, is this filter in C#: the cases of
// tests/fixtures/resampler/ hold what both must give, sample for sample.

/** Zero crossings of the sinc on each side of a tap's centre, in periods of the lower rate: the filter's length. */
const zeroCrossings = 48;
/** The sinc's cutoff as a fraction of the lower rate's Nyquist frequency; the window's transition band lies around it. */
const cutoff = 0.9;
/** Table points per zero crossing; the kernel between two points is interpolated linearly. */
const tableResolution = 512;

/** The 4-term Blackman–Harris window on [-1, 1] (1 at 0), the WDL resampler's window. */
function blackmanHarris(x) {
  const phase = Math.PI * (x + 1);
  return 0.35875 - 0.48829 * Math.cos(phase) + 0.14128 * Math.cos(2 * phase) - 0.01168 * Math.cos(3 * phase);
}

/** The windowed sinc at u = 0, 1/resolution, …, zeroCrossings (in periods of the lower rate); 0 beyond. */
const kernel = (() => {
  const table = new Float64Array(zeroCrossings * tableResolution + 2);
  for (let i = 0; i <= zeroCrossings * tableResolution; i++) {
    const u = i / tableResolution;
    const x = Math.PI * cutoff * u;
    table[i] = cutoff * (u === 0 ? 1 : Math.sin(x) / x) * blackmanHarris(u / zeroCrossings);
  }
  return table;
})();

/**
 * Resamples a mono stream pushed in blocks of any size. Output sample j is the input at time j / toRate (aligned,
 * without delay, as TfCrnn.Audio.Resampler aligns its output); it comes out once the input has reached the end of
 * its filter, zeroCrossings periods of the lower rate later. The audio before the stream counts as silence.
 */
export class Resampler {
  constructor(fromRate, toRate) {
    if (!(fromRate > 0 && toRate > 0)) throw new Error(`sample rates must be positive, got ${fromRate} and ${toRate}`);
    this.fromRate = fromRate;
    this.toRate = toRate;
    // Input samples per period of the lower rate: the kernel's scale on the input.
    this.scale = Math.max(1, fromRate / toRate);
    this.reach = zeroCrossings * this.scale; // input samples on each side of an output's time
    this.input = new Float32Array(0);
    this.inputStart = -Math.ceil(this.reach); // absolute index of input[0]; the samples before 0 are silence
    this.received = 0;
    this.outputs = 0;
    this.appendInput(new Float32Array(-this.inputStart));
    this.received = 0;
  }

  appendInput(samples) {
    const joined = new Float32Array(this.input.length + samples.length);
    joined.set(this.input);
    joined.set(samples, this.input.length);
    this.input = joined;
    this.received += samples.length;
  }

  /** Feeds input samples; returns the output samples their arrival completes. */
  push(samples) {
    if (this.fromRate === this.toRate) return Float32Array.from(samples);
    this.appendInput(samples);
    const out = [];
    for (;;) {
      const time = (this.outputs * this.fromRate) / this.toRate; // in input samples
      const last = Math.floor(time + this.reach);
      if (last >= this.received) break;
      let sum = 0;
      let weights = 0;
      for (let n = Math.ceil(time - this.reach); n <= last; n++) {
        const position = (Math.abs(time - n) / this.scale) * tableResolution;
        const i = Math.floor(position);
        const weight = kernel[i] + (kernel[i + 1] - kernel[i]) * (position - i);
        sum += weight * this.input[n - this.inputStart];
        weights += weight;
      }
      // The taps of one output sum to about `scale`; dividing by their sum makes the gain at 0 Hz exactly 1.
      out.push(weights === 0 ? 0 : sum / weights);
      this.outputs++;
    }
    // Keep the input the next output's filter reaches back to.
    const keepFrom = Math.ceil((this.outputs * this.fromRate) / this.toRate - this.reach);
    if (keepFrom > this.inputStart) {
      this.input = this.input.slice(keepFrom - this.inputStart);
      this.inputStart = keepFrom;
    }
    return Float32Array.from(out);
  }
}
