namespace TfCrnn.Models;

/// <summary>What <c>tfcrnn info</c> reports for one model of the registry.</summary>
/// <param name="FrontEnd">The front end's name (<see cref="Models.FrontEnd.Name"/>).</param>
/// <param name="Parameters">Trainable parameters at this configuration, counted on the module.</param>
/// <param name="Macs">Forward multiply-accumulates per one-second clip (<see cref="ModelDeclaration.Macs"/>).</param>
/// <param name="Steps">Steps per clip (1 for a clip model).</param>
/// <param name="Window">Samples per step (the whole clip for a clip model).</param>
/// <param name="Hop">Samples between steps within a clip (the whole clip for a clip model, which has one).</param>
/// <param name="Blocks">Convolutional blocks, for models built of a block stack; null for others.</param>
internal sealed record ModelSummary(string Model, string FrontEnd, string Trunk, string Head, long Parameters, long Macs,
    int Steps, int Window, int Hop, int? Blocks)
{
    /// <summary>
    /// The summary of every model, those with a width at <paramref name="width"/>, those with a settable step at the step that
    /// <paramref name="stepMs"/> or <paramref name="windowMs"/> set (<see cref="ModelConfig.WithStep"/>).
    /// <see cref="OptionException"/> for a bad width or step.
    /// </summary>
    public static IReadOnlyList<ModelSummary> All(int width = 128, double? stepMs = null, double? windowMs = null)
    {
        OptionChecks.Width("--width", width);
        return
        [
            .. ModelRegistry.All
                .Select(model => model.HasWidth ? model.DefaultConfig with { Width = width } : model.DefaultConfig)
                .Select(config => Of(config.Model.HasSettableStep ? config.WithStep(stepMs, windowMs) : config)),
        ];
    }

    public static ModelSummary Of(ModelConfig config)
    {
        var declaration = config.Model;
        using var module = ModelFactory.Create(config);
        var geometry = config.Geometry;
        return new ModelSummary(config.Variant, declaration.FrontEnd.Name, declaration.Trunk, declaration.Head,
            module.parameters().Sum(p => p.numel()), declaration.Macs(config), geometry.StepsPerClip, geometry.Window,
            config.IsRecurrent ? geometry.Hop : geometry.Window, declaration.Blocks(config));
    }
}
