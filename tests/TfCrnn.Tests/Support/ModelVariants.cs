using TfCrnn.Models;

namespace TfCrnn.Tests.Support;

/// <summary>The nine variants as theory data, for tests that hold for every one of them.</summary>
public static class ModelVariants
{
    public static TheoryData<string> All() => [.. ModelConfig.Variants];
}
