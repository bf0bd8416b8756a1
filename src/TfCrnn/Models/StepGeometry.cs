namespace TfCrnn.Models;

/// <summary>
/// How a model steps through audio, the one place that computes it: the samples one step takes in, the samples between
/// steps, and the steps over one training clip. Training, inference, streaming, <c>tfcrnn info</c> and the exported
/// metadata (<c>window</c>, <c>hop</c>, <c>steps</c>) all read it from <see cref="ModelConfig.Geometry"/>.
/// </summary>
/// <param name="Window">Samples one step takes in: a recurrent model's window, or the whole clip for a clip model.</param>
/// <param name="Hop">
/// Samples between two steps: between a recurrent model's windows, or between two decisions when streaming slides a clip
/// model over the audio.
/// </param>
/// <param name="StepsPerClip">Steps over one clip from zero state, as the model is trained (1 for a clip model).</param>
public sealed record StepGeometry(int Window, int Hop, int StepsPerClip)
{
    /// <summary>A clip model: one step over the whole clip, slid over a stream every <paramref name="hop"/> samples.</summary>
    public static StepGeometry WholeClip(int clipSamples, int hop) => new(clipSamples, hop, 1);

    /// <summary>
    /// Windows of <paramref name="window"/> samples every window div 2, as the authors' code steps (the paper's
    /// 200 ms windows every 100 ms): <see cref="HalfOverlappingSteps"/> of them over a clip.
    /// </summary>
    public static StepGeometry HalfOverlapping(int clipSamples, int window) =>
        new(window, window / 2, HalfOverlappingSteps(clipSamples, window));

    /// <summary>
    /// Half-overlapping windows over <paramref name="samples"/> samples, as the authors' code counts them: 2 × (samples
    /// div window) − 1, step t covering samples [t·hop, t·hop + window). Where the window does not divide the input this
    /// leaves out windows that would still fit (a 2,400-sample window over 16,000 samples: 11 steps, not 12).
    /// </summary>
    public static int HalfOverlappingSteps(long samples, int window) => 2 * (int)(samples / window) - 1;

    /// <summary>The first sample of step <paramref name="step"/>'s input within the clip: step · hop.</summary>
    public int Start(int step) => step * Hop;

    /// <summary>
    /// Seconds from the clip's start to the end of each step's input, (window + t·hop) / 16,000 (0.2 s … 1.0 s for the
    /// paper's 3,200 / 1,600; 1.0 s for a clip model's one step).
    /// </summary>
    public double[] EndSeconds() =>
        [.. Enumerable.Range(0, StepsPerClip).Select(t => (Window + (double)t * Hop) / ModelConfig.SampleRate)];
}
