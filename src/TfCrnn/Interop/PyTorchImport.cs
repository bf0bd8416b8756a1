using TfCrnn.Checkpoints;
using TfCrnn.Models;

namespace TfCrnn.Interop;

/// <summary>Options of <c>tfcrnn import</c>.</summary>
public sealed record ImportOptions
{
    /// <summary>A PyTorch state_dict file with the reference key names.</summary>
    public required string FromPyTorch { get; init; }

    /// <summary>One of <see cref="ModelRegistry.Names"/>.</summary>
    public required string Model { get; init; }

    /// <summary>The model folder to write.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>A reference io file to verify the converted model against before writing it.</summary>
    public string? CheckPath { get; init; }

    /// <summary>The width of the imported model (the paper's 128).</summary>
    public int Width { get; init; } = ModelConfig.PaperWidth;

    /// <summary>Recurrent models: the step the weights were trained at (<see cref="ModelConfig.WithStep"/>); null: 100 ms.</summary>
    public double? StepMs { get; init; }

    /// <summary>Recurrent models: the window in milliseconds instead of twice <see cref="StepMs"/>.</summary>
    public double? WindowMs { get; init; }

    /// <summary>Throws <see cref="OptionException"/> naming the first bad value.</summary>
    public ImportOptions Validate()
    {
        OptionChecks.Required("--from-pytorch", FromPyTorch);
        OptionChecks.Variant("--model", Model);
        OptionChecks.Required("--out", OutputDirectory);
        OptionChecks.Width("--width", Width);
        OptionChecks.AppliesTo("--width", ModelRegistry.Get(Model), ModelHyperParameters.Width, Width != ModelConfig.PaperWidth);
        TargetConfig();
        return this;
    }

    /// <summary>The model the weights are loaded into; <see cref="OptionException"/> for a step that gives no valid model.</summary>
    public ModelConfig TargetConfig() => (ModelConfig.For(Model) with { Width = Width }).WithStep(StepMs, WindowMs);
}

/// <param name="Written">False when the parity check failed and no model folder was written.</param>
public sealed record ImportResult(string OutputDirectory, bool Written, ParityReport? Parity);

/// <summary><c>tfcrnn import</c>: a PyTorch state_dict → a model folder, optionally checked against reference outputs.</summary>
public static class PyTorchImport
{
    /// <summary>The <c>import</c> verb: a PyTorch state dict into a model folder, checked against a reference io file when asked.</summary>
    public static ImportResult Run(ImportOptions options)
    {
        var config = options.Validate().TargetConfig();
        using var model = ModelFactory.Create(config);
        PyTorchWeights.Load(model, options.FromPyTorch);
        var parity = options.CheckPath is null ? null : ReferenceParity.Check(model, options.CheckPath);
        if (parity is { Passed: false })
            return new ImportResult(options.OutputDirectory, Written: false, parity);
        ModelFolder.Save(model, options.OutputDirectory);
        return new ImportResult(options.OutputDirectory, Written: true, parity);
    }
}
