namespace TfCrnn.Runtime;

/// <summary>
/// How a recording becomes a model's one-clip input, as the models were trained (the reference loader): scaled,
/// centred, zero-padded (floor(p/2) left, ceil(p/2) right) or cut around its centre to the clip length.
/// </summary>
public static class ClipInput
{
    /// <param name="samples">Mono samples in [-1, 1] at the model's rate, any length.</param>
    /// <param name="destination">The clip, <c>ClipSamples</c> long.</param>
    /// <param name="inputScale">Samples are multiplied by it (<see cref="StepModelInfo.InputScale"/>).</param>
    public static void Prepare(ReadOnlySpan<float> samples, Span<float> destination, float inputScale)
    {
        var length = destination.Length;
        destination.Clear();
        var kept = samples.Length > length ? samples.Slice((samples.Length - length) / 2, length) : samples;
        var target = destination.Slice((length - kept.Length) / 2, kept.Length);
        for (var i = 0; i < kept.Length; i++)
            target[i] = kept[i] * inputScale;
    }
}
