namespace TfCrnn.Data.Augmentation;

/// <summary>
/// Speed and pitch perturbation. Speed resamples the clip around its centre (tempo and pitch change together,
/// like a tape); pitch first stretches the time with WSOLA (waveform-similarity overlap-add) and then
/// resamples back to the clip's length, so that only the pitch moves.
/// </summary>
internal static class TempoAndPitch
{
    // Windowed-sinc interpolation: 6 zero crossings each side, a Hann window, the fractional position rounded to
    // 1/64 of a sample (polyphase): about 40 dB of stop band, ample for augmentation.
    private const int ZeroCrossings = 6;
    private const int Phases = 64;

    // WSOLA: 32 ms frames at half overlap, aligned within ±8 ms (more than half the period of a 70 Hz voice) by
    // cross-correlation, first every 4th lag over every 4th sample, then every lag near the best.
    private const int StretchFrame = 512;
    private const int StretchHop = StretchFrame / 2;
    private const int StretchTolerance = 128;
    private const int CoarseStep = 4;
    private static readonly float[] HannWindow = Enumerable.Range(0, StretchFrame)
        .Select(j => (float)(0.5 - 0.5 * Math.Cos(2 * Math.PI * j / StretchFrame))).ToArray();

    /// <summary>Plays the clip <paramref name="factor"/> times as fast about its centre: content shrinks (factor &gt; 1) or grows, zero-filled or cut at the ends.</summary>
    public static void ChangeSpeed(Span<float> clip, double factor)
    {
        var source = clip.ToArray();
        Resample(source, clip, factor, source.Length / 2.0, clip.Length / 2.0);
    }

    /// <summary>Shifts the pitch by <paramref name="semitones"/>, keeping duration and centre.</summary>
    public static void ShiftPitch(Span<float> clip, double semitones)
    {
        var ratio = Math.Pow(2, semitones / 12);
        var stretched = new float[(int)Math.Round(clip.Length * ratio)];
        Stretch(clip, stretched);
        Resample(stretched, clip, stretched.Length / (double)clip.Length, stretched.Length / 2.0, clip.Length / 2.0);
    }

    /// <summary>
    /// output[i] = input(inputCentre + (i − outputCentre)·step), band-limited to the output's Nyquist frequency when
    /// <paramref name="step"/> &gt; 1; the input is zero outside its span.
    /// </summary>
    internal static void Resample(ReadOnlySpan<float> input, Span<float> output, double step, double inputCentre, double outputCentre)
    {
        var cutoff = Math.Min(1.0, 1.0 / step);
        var reach = (int)Math.Ceiling(ZeroCrossings / cutoff);
        var taps = 2 * reach;
        // Row p holds the kernel for a position p/Phases past a sample: taps at offsets −reach+1 … reach.
        var table = new float[(Phases + 1) * taps];
        for (var p = 0; p <= Phases; p++)
            for (var j = 0; j < taps; j++)
            {
                var x = (j - reach + 1 - p / (double)Phases) * cutoff;
                var sinc = x == 0 ? 1 : Math.Sin(Math.PI * x) / (Math.PI * x);
                var window = Math.Abs(x) < ZeroCrossings ? 0.5 + 0.5 * Math.Cos(Math.PI * x / ZeroCrossings) : 0;
                table[p * taps + j] = (float)(sinc * window * cutoff);
            }
        // Zero margins so that every tap reads inside the buffer.
        var padded = new float[input.Length + 2 * taps];
        input.CopyTo(padded.AsSpan(taps));
        for (var i = 0; i < output.Length; i++)
        {
            var position = inputCentre + (i - outputCentre) * step;
            var floor = Math.Floor(position);
            var first = (int)floor - reach + 1;
            if (first + taps <= 0 || first >= input.Length)
            {
                output[i] = 0;
                continue;
            }
            var phase = (int)Math.Round((position - floor) * Phases);
            var kernel = table.AsSpan(phase * taps, taps);
            var samples = padded.AsSpan(first + taps, taps);
            var sum = 0f;
            for (var j = 0; j < taps; j++)
                sum += samples[j] * kernel[j];
            output[i] = sum;
        }
    }

    /// <summary>
    /// WSOLA: writes <paramref name="input"/> time-stretched to the length of <paramref name="output"/> at the same
    /// pitch. Each output frame takes the input frame near its nominal place that best continues the previous one.
    /// </summary>
    internal static void Stretch(ReadOnlySpan<float> input, Span<float> output)
    {
        output.Clear();
        // Zero margins wide enough for any frame and search offset, so that no index needs checking.
        var margin = StretchFrame + StretchTolerance + StretchHop;
        var padded = new float[input.Length + 2 * margin];
        input.CopyTo(padded.AsSpan(margin));
        var rate = input.Length / (double)output.Length;
        var previous = int.MinValue;
        for (var centre = 0; centre - StretchFrame / 2 < output.Length; centre += StretchHop)
        {
            var nominal = margin + Math.Clamp((int)Math.Round(centre * rate), 0, input.Length);
            var chosen = previous == int.MinValue ? nominal : BestAlignment(padded, previous + StretchHop, nominal);
            for (var j = 0; j < StretchFrame; j++)
            {
                var o = centre - StretchFrame / 2 + j;
                if (o >= 0 && o < output.Length)
                    output[o] += HannWindow[j] * padded[chosen - StretchFrame / 2 + j];
            }
            previous = chosen;
        }
    }

    /// <summary>The frame centre within the tolerance of <paramref name="nominal"/> whose samples correlate best with those around <paramref name="natural"/>.</summary>
    private static int BestAlignment(float[] input, int natural, int nominal)
    {
        var best = Search(input, natural, nominal, -StretchTolerance, StretchTolerance, CoarseStep);
        return Search(input, natural, best, -CoarseStep + 1, CoarseStep - 1, 1);
    }

    private static int Search(float[] input, int natural, int around, int from, int to, int step)
    {
        var best = around;
        var bestScore = float.NegativeInfinity;
        var template = input.AsSpan(natural - StretchHop / 2, StretchHop);
        for (var lag = from; lag <= to; lag += step)
        {
            var candidate = input.AsSpan(around + lag - StretchHop / 2, StretchHop);
            var score = 0f;
            for (var j = 0; j < StretchHop; j += step)
                score += template[j] * candidate[j];
            if (score > bestScore)
            {
                bestScore = score;
                best = around + lag;
            }
        }
        return best;
    }
}
