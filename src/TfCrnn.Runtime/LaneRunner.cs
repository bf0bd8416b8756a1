namespace TfCrnn.Runtime;

/// <summary>
/// Runs a step model's lanes over a stream of windows (<see cref="StatePolicy"/>): every lane hears the same window,
/// passed once to one batched call of all lanes, a lane restarts from zero state at its reset steps, and each step
/// is read from the lane with the longest history since its last reset.
/// </summary>
internal sealed class LaneRunner
{
    private readonly IStepModel model;
    private readonly int lanes;
    private readonly int? period;
    private readonly int[] offsets;
    private readonly long[] lastReset;
    private readonly float[] window;
    private float[] state;
    private long step;

    /// <param name="policy">A validated policy (<see cref="RecognizerOptions.Validate"/>).</param>
    public LaneRunner(IStepModel model, StatePolicy policy)
    {
        this.model = model;
        var info = model.Info;
        (lanes, period) = policy.For(info);
        // Resets spread evenly over the period: lane i restarts at steps ≡ i·period/lanes.
        offsets = [.. Enumerable.Range(0, lanes).Select(i => period is { } p ? (int)((long)i * p / lanes) : 0)];
        lastReset = new long[lanes];
        window = new float[info.Window];
        state = new float[lanes * info.StateSize];
    }

    /// <summary>Model lane-steps per stream step: the cost of the policy.</summary>
    public int Lanes => lanes;

    /// <summary>Advances every lane by one window; returns the logits (classes) of the lane with the longest history.</summary>
    public float[] Step(ReadOnlySpan<float> samples)
    {
        var size = model.Info.StateSize;
        samples.CopyTo(window);
        for (var i = 0; i < lanes; i++)
        {
            if (step > 0 && period is { } p && (step - offsets[i]) % p == 0)
            {
                Array.Clear(state, i * size, size);
                lastReset[i] = step;
            }
        }
        var output = model.Step(window, state, lanes);
        if (output.State.Length != state.Length)
            throw new InvalidOperationException($"the step model returned {output.State.Length} state values for {lanes} lanes of {size}");
        state = output.State;
        var oldest = 0;
        for (var i = 1; i < lanes; i++)
            if (lastReset[i] < lastReset[oldest]) oldest = i;
        step++;
        var classes = output.Logits.Length / lanes;
        return output.Logits.AsSpan(oldest * classes, classes).ToArray();
    }
}
