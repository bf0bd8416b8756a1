namespace TfCrnn.Runtime;

/// <summary>
/// Cuts a stream of samples, arriving in chunks of any size, into the step windows of a model: window t holds the
/// scaled samples [(t + 1)·Hop − Window, (t + 1)·Hop) and is complete as soon as sample (t + 1)·Hop − 1 has arrived,
/// never later and never sooner. The audio before the stream's start counts as silence (zeros).
/// </summary>
public sealed class AudioFramer
{
    private readonly float[] window;
    private readonly int hop;
    private readonly float scale;
    private int filled;

    /// <param name="window">Samples per window.</param>
    /// <param name="hop">Samples between window ends (at most <paramref name="window"/>).</param>
    /// <param name="inputScale">Samples are multiplied by it (<see cref="StepModelInfo.InputScale"/>).</param>
    public AudioFramer(int window, int hop, float inputScale)
    {
        if (window <= 0 || hop <= 0 || hop > window || !(inputScale > 0))
            throw new ArgumentOutOfRangeException(nameof(hop), $"window {window} and hop {hop} must be positive with hop ≤ window, scale {inputScale} positive");
        this.window = new float[window];
        this.hop = hop;
        scale = inputScale;
        filled = window - hop;
    }

    /// <summary>Windows completed so far.</summary>
    public long Windows { get; private set; }

    /// <summary>
    /// Consumes samples from the front of <paramref name="input"/> until the next window is complete. Returns false
    /// when the input ran out first (its samples are kept for the next call).
    /// </summary>
    /// <param name="completed">The window, valid until the next call.</param>
    public bool TryTake(ref ReadOnlySpan<float> input, out ReadOnlySpan<float> completed)
    {
        if (filled == window.Length)
        {
            // The previous window was handed out: keep its overlap with the next one.
            Array.Copy(window, hop, window, 0, window.Length - hop);
            filled = window.Length - hop;
        }
        var count = Math.Min(window.Length - filled, input.Length);
        var destination = window.AsSpan(filled, count);
        for (var i = 0; i < count; i++)
            destination[i] = input[i] * scale;
        filled += count;
        input = input[count..];
        if (filled < window.Length)
        {
            completed = default;
            return false;
        }
        Windows++;
        completed = window;
        return true;
    }
}
