using TfCrnn.Models;

namespace TfCrnn.Tests.Models.Baselines;

/// <summary>Configurations of the baselines with the first <c>classes</c> of the 35 commands as their labels.</summary>
internal static class BaselineConfigs
{
    public static ModelConfig AttnCrnn(int classes) => ModelConfig.For("attn-crnn") with { Classes = classes };

    public static ModelConfig HarmonicCnn(int classes, int width = ModelConfig.PaperWidth) =>
        ModelConfig.For("harmonic-cnn") with { Classes = classes, Width = width };
}
