namespace TfCrnn.Models;

/// <summary>Builds any of the nine variants with PyTorch's default initialisation.</summary>
public static class ModelFactory
{
    /// <summary>A new model of the config's variant, with fresh weights.</summary>
    public static SpeechCommandModel Create(ModelConfig config) =>
        config.Validate().IsRecurrent ? new Crnn(config) : new SampleCnn(config);

    /// <summary>The default configuration of <paramref name="variant"/> at <paramref name="width"/>.</summary>
    public static SpeechCommandModel Create(string variant, int width = 128) =>
        Create(ModelConfig.For(variant) with { Width = width });
}
