namespace TfCrnn.Analysis;

/// <summary>A cell of a table: a model variant trained with an output mode (and, in the step-size grid, a step).</summary>
/// <param name="Family">Row group as the paper prints it ("CNN", "CRNN", "TF-CRNN").</param>
/// <param name="Block">Block as the paper prints it ("Basic", "TF-SE", …).</param>
/// <param name="Variant">One of <see cref="Models.ModelConfig.Variants"/>.</param>
/// <param name="Io">CLI spelling of the output mode: "many2one" or "many2many".</param>
/// <param name="PaperMean">The paper's mean test accuracy in %, where it reports one (Table I).</param>
/// <param name="PaperStd">The paper's standard deviation in %, where it reports one.</param>
/// <param name="StepMs">The step of a recurrent model in the step-size grid; null: the plan's step (100 ms unless set).</param>
internal sealed record TableConfiguration(string Family, string Block, string Variant, string Io, double? PaperMean = null,
    double? PaperStd = null, double? StepMs = null)
{
    /// <summary>"tfcrnn-se many2many", with " 12.5 ms" in the step-size grid.</summary>
    public string Name => StepMs is { } step
        ? $"{Variant} {Io} {step.ToString(System.Globalization.CultureInfo.InvariantCulture)} ms"
        : $"{Variant} {Io}";
}

/// <summary>
/// The 15 configurations of the paper's Table I with its values (mean (std) of 3 runs; docs/reference-implementation.md,
/// "Training").
/// </summary>
internal static class TableOne
{
    public const string ManyToOne = "many2one";
    public const string ManyToMany = "many2many";

    /// <summary>In the paper's order: CNN, CRNN, TF-CRNN; Basic, SE, Res-SE; many-to-one before many-to-many.</summary>
    public static readonly IReadOnlyList<TableConfiguration> Configurations =
    [
        new("CNN", "Basic", "cnn-basic", ManyToOne, 94.63, 0.12),
        new("CNN", "SE", "cnn-se", ManyToOne, 95.33, 0.10),
        new("CNN", "Res-SE", "cnn-resse", ManyToOne, 95.93, 0.08),
        new("CRNN", "Basic", "crnn-basic", ManyToOne, 94.86, 0.15),
        new("CRNN", "Basic", "crnn-basic", ManyToMany, 95.48, 0.21),
        new("CRNN", "SE", "crnn-se", ManyToOne, 95.56, 0.12),
        new("CRNN", "SE", "crnn-se", ManyToMany, 95.94, 0.12),
        new("CRNN", "Res-SE", "crnn-resse", ManyToOne, 95.95, 0.06),
        new("CRNN", "Res-SE", "crnn-resse", ManyToMany, 96.32, 0.22),
        new("TF-CRNN", "TF-Basic", "tfcrnn-basic", ManyToOne, 95.44, 0.02),
        new("TF-CRNN", "TF-Basic", "tfcrnn-basic", ManyToMany, 96.03, 0.12),
        new("TF-CRNN", "TF-SE", "tfcrnn-se", ManyToOne, 95.51, 0.15),
        new("TF-CRNN", "TF-SE", "tfcrnn-se", ManyToMany, 96.17, 0.14),
        new("TF-CRNN", "TF-Res-SE", "tfcrnn-resse", ManyToOne, 95.89, 0.22),
        new("TF-CRNN", "TF-Res-SE", "tfcrnn-resse", ManyToMany, 96.55, 0.11),
    ];
}
