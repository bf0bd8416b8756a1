using System.Text.RegularExpressions;
using TfCrnn.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace TfCrnn.Tests.Support;

/// <summary>Models with random weights for tests that compare a model's forms.</summary>
public static class TestModels
{
    /// <summary>
    /// A model whose BatchNorms have non-trivial statistics and affine parameters (fresh ones are the identity,
    /// which would hide a wrong fold), in eval mode.
    /// </summary>
    public static SpeechCommandModel WithTrainedLookingBatchNorms(string variant, int width, int seed) =>
        WithTrainedLookingBatchNorms(Sized(variant, width), seed);

    /// <summary>The default configuration of <paramref name="variant"/> at <paramref name="width"/> where the model has a width.</summary>
    public static ModelConfig Sized(string variant, int width) =>
        ModelConfig.For(variant) is { Model.HasWidth: true } config ? config with { Width = width } : ModelConfig.For(variant);

    /// <inheritdoc cref="WithTrainedLookingBatchNorms(string, int, int)"/>
    public static SpeechCommandModel WithTrainedLookingBatchNorms(ModelConfig config, int seed)
    {
        var model = ModelFactory.Create(config);
        var g = new Generator((ulong)seed);
        var state = model.state_dict();
        // A BatchNorm is wherever running statistics are: its prefix's weight, bias, running_mean and running_var.
        var norms = state.Keys.Where(k => k.EndsWith(".running_mean", StringComparison.Ordinal))
            .Select(k => k[..^".running_mean".Length]).ToHashSet();
        using (no_grad())
            foreach (var (name, value) in state)
            {
                // An input standardisation (the embedding heads' mean and deviation) is made non-trivial too.
                if (name is "mean" or "deviation")
                {
                    using var statistic = name == "mean" ? randn(value.shape, generator: g) : rand(value.shape, generator: g) + 0.5;
                    value.copy_(statistic);
                    continue;
                }
                var match = Regex.Match(name, @"^(.*)\.(weight|bias|running_mean|running_var)$");
                if (!match.Success || !norms.Contains(match.Groups[1].Value)) continue;
                using var random = match.Groups[2].Value switch
                {
                    "weight" => rand(value.shape, generator: g) + 0.5,
                    "running_var" => rand(value.shape, generator: g) + 0.5,
                    _ => 0.2 * randn(value.shape, generator: g),
                };
                value.copy_(random);
            }
        model.eval();
        return model;
    }
}
