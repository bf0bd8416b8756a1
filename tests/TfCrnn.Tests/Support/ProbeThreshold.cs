namespace TfCrnn.Tests.Support;

/// <summary>Detection thresholds for tests that compare two ways of running one model on the same audio.</summary>
internal static class ProbeThreshold
{
    /// <summary>
    /// A threshold that about half of the steps cross: halfway between the two neighbouring steps' values nearest the
    /// median that lie more than 4e-6 apart (libtorch's call-to-call rounding stays within 1e-6). A threshold equal to one
    /// step's value (the median itself) made that step fire or not as libtorch rounded its window a little differently
    /// from call to call; CI saw it.
    /// </summary>
    /// <param name="values">Each step's value, e.g. its best posterior.</param>
    public static float Median(IEnumerable<float> values)
    {
        var sorted = values.Order().ToList();
        var median = sorted.Count / 2;
        foreach (var i in Enumerable.Range(0, sorted.Count - 1).OrderBy(i => Math.Abs(i - median)))
            if (sorted[i + 1] - sorted[i] > 4e-6f)
                return (sorted[i] + sorted[i + 1]) / 2;
        throw new InvalidOperationException("every step's value lies within 4e-6 of its neighbours'");
    }
}
