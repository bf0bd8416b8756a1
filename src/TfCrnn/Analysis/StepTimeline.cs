using TfCrnn.Models;

namespace TfCrnn.Analysis;

/// <summary>
/// Where a model's steps sit in the clip: step t sees samples [t·Hop, t·Hop + Window) and ends at
/// (Window + t·Hop) / 16,000 s (0.2 s … 1.0 s for the paper's 3,200 / 1,600). The CNN has one step over the whole clip.
/// </summary>
internal sealed record StepTimeline(int Window, int Hop, int Steps)
{
    public const int SampleRate = ModelConfig.SampleRate;

    public static StepTimeline Of(ModelConfig config) => config.IsRecurrent
        ? new StepTimeline(config.Window, config.Hop, config.Steps)
        : new StepTimeline(config.ClipSamples, config.ClipSamples, 1);

    public int Start(int step) => step * Hop;

    /// <summary>Seconds from the clip start to the end of each step's window.</summary>
    public double[] EndSeconds() => [.. Enumerable.Range(0, Steps).Select(t => (Window + (double)t * Hop) / SampleRate)];
}
