namespace TfCrnn.Models;

/// <summary>What <c>tfcrnn info</c> reports for one variant.</summary>
/// <param name="Macs">Forward multiply-accumulates per one-second clip (<see cref="ModelArchitecture.Macs"/>).</param>
/// <param name="Window">Samples per step (the whole clip for the CNN).</param>
/// <param name="Hop">Samples between steps (the whole clip for the CNN).</param>
/// <param name="Blocks">Convolutional blocks (<see cref="ModelArchitecture.BlockCount"/>).</param>
internal sealed record ModelSummary(string Model, long Parameters, long Macs, int Steps, int Window, int Hop, int Blocks)
{
    /// <summary>
    /// The summary of every variant at <paramref name="width"/>, the recurrent ones at the step that
    /// <paramref name="stepMs"/> or <paramref name="windowMs"/> set (<see cref="ModelConfig.WithStep"/>); the CNN has
    /// one configuration. <see cref="OptionException"/> for a bad width or step.
    /// </summary>
    public static IReadOnlyList<ModelSummary> All(int width = 128, double? stepMs = null, double? windowMs = null)
    {
        OptionChecks.Width("--width", width);
        return
        [
            .. ModelConfig.Variants
                .Select(variant => ModelConfig.For(variant) with { Width = width })
                .Select(config => Of(config.IsRecurrent ? config.WithStep(stepMs, windowMs) : config)),
        ];
    }

    public static ModelSummary Of(ModelConfig config)
    {
        using var model = ModelFactory.Create(config);
        var samplesPerStep = ModelArchitecture.TrunkInputSamples(config);
        return new ModelSummary(config.Variant, model.parameters().Sum(p => p.numel()), ModelArchitecture.Macs(config),
            config.Steps, samplesPerStep, config.IsRecurrent ? config.Hop : samplesPerStep, ModelArchitecture.BlockCount(config));
    }
}
