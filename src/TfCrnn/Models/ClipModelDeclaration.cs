namespace TfCrnn.Models;

/// <summary>
/// A model that hears the whole clip at once and gives one step per clip (Table I's baselines): no state, no settable
/// step, and streaming slides it over the last clip of audio every hop, as it slides the paper's CNNs.
/// </summary>
internal abstract class ClipModelDeclaration : ModelDeclaration
{
    public sealed override bool IsRecurrent => false;

    internal sealed override string FixedStep => $"does not apply to {Name}, which hears the whole clip at once";

    /// <summary>One step over the clip, slid every <see cref="ModelConfig.Hop"/> when streaming.</summary>
    internal sealed override StepGeometry Geometry(ModelConfig config) => StepGeometry.WholeClip(config.ClipSamples, config.Hop);
}
