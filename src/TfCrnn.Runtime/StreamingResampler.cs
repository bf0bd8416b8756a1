namespace TfCrnn.Runtime;

/// <summary>
/// Sample-rate conversion of a mono stream pushed in blocks of any size: the filter of the browser page's capture
/// worklet (<c>web/resampler.mjs</c>), sample for sample (<c>tests/fixtures/resampler/</c> holds the cases both must
/// pass). A Blackman–Harris windowed sinc of 48 zero crossings a side, its cutoff at 0.9 of the lower rate's Nyquist
/// frequency, read from a table of 512 points per zero crossing with linear interpolation; the taps of each output are
/// normalised to a gain of 1 at 0 Hz. Output sample j is the input at time j / toRate (aligned, without delay); it
/// comes out once the input has reached the end of its filter. The audio before the stream counts as silence, and so
/// does the audio after its end (<see cref="Finish"/>).
/// </summary>
/// <remarks>
/// Written here rather than taken from a library: it must equal the JavaScript one, which the browser needs without
/// dependencies. The arithmetic (double precision, the same order of operations) is that of resampler.mjs.
/// </remarks>
internal sealed class StreamingResampler
{
    /// <summary>Zero crossings of the sinc on each side of a tap's centre, in periods of the lower rate.</summary>
    private const int ZeroCrossings = 48;

    /// <summary>The sinc's cutoff as a fraction of the lower rate's Nyquist frequency.</summary>
    private const double Cutoff = 0.9;

    /// <summary>Table points per zero crossing; the kernel between two points is interpolated linearly.</summary>
    private const int TableResolution = 512;

    /// <summary>The windowed sinc at u = 0, 1/resolution, …, zeroCrossings (in periods of the lower rate); 0 beyond.</summary>
    private static readonly double[] Kernel = BuildKernel();

    private readonly int fromRate;
    private readonly int toRate;
    private readonly double scale;
    private readonly double reach;
    private float[] input = new float[4096];
    private int buffered;
    // The absolute index of input[0]; the samples before index 0 are silence.
    private long inputStart;
    private long received;
    private long outputs;
    private float[] output = new float[1024];

    public StreamingResampler(int fromRate, int toRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(fromRate, 0);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(toRate, 0);
        (this.fromRate, this.toRate) = (fromRate, toRate);
        // Input samples per period of the lower rate: the kernel's scale on the input.
        scale = Math.Max(1, fromRate / (double)toRate);
        reach = ZeroCrossings * scale;
        var silence = (int)Math.Ceiling(reach);
        inputStart = -silence;
        Append(new float[silence]);
        received = 0;
    }

    /// <summary>Input samples pushed so far.</summary>
    public long Received => received;

    /// <summary>Output samples produced so far.</summary>
    public long Produced => outputs;

    /// <summary>Feeds input samples; returns the output samples their arrival completes (valid until the next call).</summary>
    public ReadOnlySpan<float> Push(ReadOnlySpan<float> samples)
    {
        if (fromRate == toRate)
        {
            received += samples.Length;
            outputs += samples.Length;
            return samples;
        }
        Append(samples);
        received += samples.Length;
        return Produce(long.MaxValue);
    }

    /// <summary>
    /// Ends the stream: the outputs still held back, computed as if silence followed, up to
    /// round(<see cref="Received"/> · toRate / fromRate) outputs in all (the length of the whole signal at the new rate).
    /// </summary>
    public ReadOnlySpan<float> Finish()
    {
        var total = (long)Math.Round(received * (double)toRate / fromRate);
        if (fromRate == toRate || outputs >= total) return [];
        // Enough silence for the filter of the last output to end inside it.
        var end = received;
        var tail = (int)Math.Ceiling(reach) + 1;
        Append(new float[tail]);
        received += tail;
        var produced = Produce(total);
        received = end;
        return produced;
    }

    private ReadOnlySpan<float> Produce(long limit)
    {
        var count = 0;
        while (outputs < limit)
        {
            var time = outputs * (double)fromRate / toRate; // in input samples
            var last = (long)Math.Floor(time + reach);
            if (last >= received) break;
            var sum = 0.0;
            var weights = 0.0;
            for (var n = (long)Math.Ceiling(time - reach); n <= last; n++)
            {
                var position = Math.Abs(time - n) / scale * TableResolution;
                var i = (int)Math.Floor(position);
                var weight = Kernel[i] + (Kernel[i + 1] - Kernel[i]) * (position - i);
                sum += weight * input[n - inputStart];
                weights += weight;
            }
            if (count == output.Length) Array.Resize(ref output, 2 * output.Length);
            // The taps of one output sum to about `scale`; dividing by their sum makes the gain at 0 Hz exactly 1.
            output[count++] = weights == 0 ? 0 : (float)(sum / weights);
            outputs++;
        }
        // Keep the input the next output's filter reaches back to.
        var keepFrom = (long)Math.Ceiling(outputs * (double)fromRate / toRate - reach);
        if (keepFrom > inputStart)
        {
            var drop = (int)Math.Min(keepFrom - inputStart, buffered);
            Array.Copy(input, drop, input, 0, buffered - drop);
            buffered -= drop;
            inputStart += drop;
        }
        return output.AsSpan(0, count);
    }

    private void Append(ReadOnlySpan<float> samples)
    {
        if (buffered + samples.Length > input.Length)
            Array.Resize(ref input, Math.Max(buffered + samples.Length, 2 * input.Length));
        samples.CopyTo(input.AsSpan(buffered));
        buffered += samples.Length;
    }

    private static double[] BuildKernel()
    {
        var table = new double[ZeroCrossings * TableResolution + 2];
        for (var i = 0; i <= ZeroCrossings * TableResolution; i++)
        {
            var u = i / (double)TableResolution;
            var x = Math.PI * Cutoff * u;
            table[i] = Cutoff * (u == 0 ? 1 : Math.Sin(x) / x) * BlackmanHarris(u / ZeroCrossings);
        }
        return table;
    }

    /// <summary>The 4-term Blackman–Harris window on [-1, 1] (1 at 0), the WDL resampler's window.</summary>
    private static double BlackmanHarris(double x)
    {
        var phase = Math.PI * (x + 1);
        return 0.35875 - 0.48829 * Math.Cos(phase) + 0.14128 * Math.Cos(2 * phase) - 0.01168 * Math.Cos(3 * phase);
    }
}
