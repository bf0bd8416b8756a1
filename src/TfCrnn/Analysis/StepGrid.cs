namespace TfCrnn.Analysis;

/// <summary>
/// The paper's step-size grid search (Section III-C): the recurrent models at steps of 12.5, 25, 50, 100 and 250 ms,
/// each with a window of twice the step; the paper kept 100 ms.
/// </summary>
internal static class StepGrid
{
    /// <summary>The grid, in milliseconds.</summary>
    public static readonly IReadOnlyList<double> StepsMs = [12.5, 25, 50, 100, 250];

    /// <summary>Block names as <c>--blocks</c> takes them: the second part of a variant name.</summary>
    public static readonly IReadOnlyList<string> BlockNames = ["basic", "se", "resse"];

    /// <summary>
    /// Every step × (CRNN, TF-CRNN) × <paramref name="blocks"/>, ordered by step, then family, then block; names as
    /// in Table I.
    /// </summary>
    public static IReadOnlyList<TableConfiguration> Configurations(IReadOnlyList<string> blocks, string io) =>
    [
        .. from step in StepsMs
           from family in (string[])["crnn", "tfcrnn"]
           from block in BlockNames.Where(blocks.Contains)
           let named = TableOne.Configurations.First(c => c.Variant == $"{family}-{block}")
           select named with { Io = io, PaperMean = null, PaperStd = null, StepMs = step },
    ];
}
