namespace TfCrnn.Models;

/// <summary>What <c>tfcrnn info</c> reports for one variant.</summary>
/// <param name="Macs">Forward multiply-accumulates per one-second clip (<see cref="ModelArchitecture.Macs"/>).</param>
/// <param name="Window">Samples per step (the whole clip for the CNN).</param>
/// <param name="Hop">Samples between steps (the whole clip for the CNN).</param>
public sealed record ModelSummary(string Model, long Parameters, long Macs, int Steps, int Window, int Hop)
{
    /// <summary>The summary of every variant at <paramref name="width"/> (<see cref="OptionException"/> for a bad width).</summary>
    public static IReadOnlyList<ModelSummary> All(int width = 128)
    {
        OptionChecks.Width("--width", width);
        return [.. ModelConfig.Variants.Select(variant => Of(ModelConfig.For(variant) with { Width = width }))];
    }

    public static ModelSummary Of(ModelConfig config)
    {
        using var model = ModelFactory.Create(config);
        var samplesPerStep = ModelArchitecture.TrunkInputSamples(config);
        return new ModelSummary(config.Variant, model.parameters().Sum(p => p.numel()), ModelArchitecture.Macs(config),
            config.Steps, samplesPerStep, config.IsRecurrent ? config.Hop : samplesPerStep);
    }
}
