namespace TfCrnn.Runtime;

/// <summary>The mean of the class probabilities of the last few steps (fewer at the stream's start).</summary>
public sealed class PosteriorSmoother
{
    private readonly float[][] recent;
    private int count;
    private int next;

    public PosteriorSmoother(int steps, int classes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        recent = [.. Enumerable.Range(0, steps).Select(_ => new float[classes])];
    }

    /// <summary>Adds a step's probabilities and returns the mean over the window.</summary>
    public float[] Add(ReadOnlySpan<float> probabilities)
    {
        probabilities.CopyTo(recent[next]);
        next = (next + 1) % recent.Length;
        count = Math.Min(count + 1, recent.Length);
        var mean = new float[probabilities.Length];
        for (var k = 0; k < mean.Length; k++)
        {
            var sum = 0.0;
            for (var i = 0; i < count; i++) sum += recent[i][k];
            mean[k] = (float)(sum / count);
        }
        return mean;
    }

    /// <summary>Softmax of <paramref name="logits"/>, computed stably.</summary>
    public static float[] Softmax(ReadOnlySpan<float> logits)
    {
        var max = float.NegativeInfinity;
        foreach (var l in logits) max = MathF.Max(max, l);
        var result = new float[logits.Length];
        var sum = 0.0;
        for (var i = 0; i < logits.Length; i++) sum += result[i] = MathF.Exp(logits[i] - max);
        for (var i = 0; i < result.Length; i++) result[i] = (float)(result[i] / sum);
        return result;
    }
}
