using TfCrnn.Models;

namespace TfCrnn.Analysis;

/// <summary>A cell of a table: a model variant trained with an output mode (and, in the step-size grid, a step).</summary>
/// <param name="Family">Row group as the paper prints it ("CNN", "CRNN", "TF-CRNN").</param>
/// <param name="Block">Block as the paper prints it ("Basic", "TF-SE", …).</param>
/// <param name="Variant">One of <see cref="Models.ModelRegistry.Names"/>.</param>
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
/// The configurations of the paper's Table I, from the registry: every model with a Table I row
/// (<see cref="ModelDeclaration.TableOne"/>), in the registry's order, trained with each of its
/// <see cref="ModelDeclaration.OutputModes"/>, with the paper's values where it reports them. For the nine: 3 CNN and
/// 6 recurrent × 2 output modes = 15.
/// </summary>
internal static class TableOne
{
    public const string ManyToOne = "many2one";
    public const string ManyToMany = "many2many";

    /// <summary>In the registry's order: CNN, CRNN, TF-CRNN; Basic, SE, Res-SE; many-to-one before many-to-many.</summary>
    public static readonly IReadOnlyList<TableConfiguration> Configurations =
    [
        .. ModelRegistry.All.SelectMany(model => model.TableOne is { } row
            ? model.OutputModes.Select(io => row.Paper.FirstOrDefault(p => p.Io == io) is var paper
                ? new TableConfiguration(row.Group, row.Block, model.Name, io.Name(), paper?.Mean, paper?.Std)
                : null!)
            : []),
    ];
}
