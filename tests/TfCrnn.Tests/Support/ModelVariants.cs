using TfCrnn.Models;
using TfCrnn.Models.Paper;

namespace TfCrnn.Tests.Support;

/// <summary>Model names as theory data: the paper's nine, or every model of the registry.</summary>
public static class ModelVariants
{
    /// <summary>The paper's nine variants, for tests of what they share (blocks, state-dict names, step sizes).</summary>
    public static TheoryData<string> All() => [.. PaperModels.All.Select(m => m.Name)];

    /// <summary>Every model of the registry, for what every model must do.</summary>
    public static TheoryData<string> Registry() => [.. ModelRegistry.Names];

    /// <summary>The stepwise-recurrent models of the registry.</summary>
    public static TheoryData<string> Recurrent() => [.. ModelRegistry.All.Where(m => m.IsRecurrent).Select(m => m.Name)];
}
