namespace TfCrnn.Models;

/// <summary>Builds the training module of any model of the registry with PyTorch's default initialisation.</summary>
public static class ModelFactory
{
    /// <summary>A new module of the config's model (<see cref="ModelDeclaration.Create"/>), with fresh weights.</summary>
    /// <exception cref="ModelConfigException">An invalid configuration.</exception>
    public static SpeechCommandModel Create(ModelConfig config) => config.Validate().Model.Create(config);

    /// <summary>The default configuration of the model <paramref name="variant"/> at <paramref name="width"/>.</summary>
    public static SpeechCommandModel Create(string variant, int width = 128) =>
        Create(ModelConfig.For(variant) with { Width = width });
}
