namespace TfCrnn.Tests.Support;

/// <summary>Detection thresholds for tests that compare two ways of running one model on the same audio.</summary>
internal static class ProbeThreshold
{
    /// <summary>
    /// A threshold that a quarter to three quarters of the steps cross: halfway across the widest gap between
    /// neighbouring steps' values in the middle half. A threshold equal to one step's value (the median itself) made that
    /// step fire or not as libtorch rounded its window a little differently from call to call (a few float32 ulps); CI
    /// saw it. A random model's values can lie within a few millionths of each other, so the gap is the widest there is.
    /// </summary>
    /// <param name="values">Each step's value, e.g. its best posterior.</param>
    public static float Median(IEnumerable<float> values)
    {
        var sorted = values.Order().ToList();
        var low = sorted.Count / 4;
        var high = Math.Min(sorted.Count - 1, Math.Max(low + 1, 3 * sorted.Count / 4));
        var widest = Enumerable.Range(low, high - low).MaxBy(i => sorted[i + 1] - sorted[i]);
        if (!(sorted[widest + 1] - sorted[widest] > 1e-7f))
            throw new InvalidOperationException("the middle half of the steps' values lie within 1e-7 of each other");
        return (sorted[widest] + sorted[widest + 1]) / 2;
    }
}
