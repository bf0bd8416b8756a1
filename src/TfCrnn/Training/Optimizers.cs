using System.Text.Json.Serialization;
using TorchSharp.Modules;

namespace TfCrnn.Training;

/// <summary>The optimizer of a run (<c>train --optimizer</c>; <see cref="Optimizers"/>), spelt <c>sgd</c> or <c>adam</c>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OptimizerKind>))]
public enum OptimizerKind
{
    /// <summary>The paper's SGD with Nesterov momentum 0.9.</summary>
    [JsonStringEnumMemberName("sgd")] Sgd,

    /// <summary>Adam.</summary>
    [JsonStringEnumMemberName("adam")] Adam,
}

/// <summary>
/// The optimizers <c>train --optimizer</c> offers: <c>sgd</c>, the paper's SGD with Nesterov momentum 0.9 (section 4), and
/// <c>adam</c>, which leaves the first epochs' plateau sooner at small budgets (bench/results/augmentation.md, "Adam at
/// the quickstart's budget"). Either follows the run's <see cref="LearningRateSchedule"/>.
/// </summary>
internal static class Optimizers
{
    /// <summary>The paper's momentum.</summary>
    public const double Momentum = 0.9;

    /// <summary>How a report names the optimizer: <c>SGD Nesterov 0.9</c> or <c>Adam</c>.</summary>
    public static string Describe(OptimizerKind kind) => kind == OptimizerKind.Adam ? "Adam" : "SGD Nesterov 0.9";

    /// <summary>The optimizer <paramref name="kind"/> over <paramref name="parameters"/>.</summary>
    public static OptimizerHelper Create(OptimizerKind kind, IEnumerable<Parameter> parameters, double learningRate) => kind switch
    {
        OptimizerKind.Adam => new ScalarSafeAdam(parameters, learningRate),
        _ => new NesterovSgd(parameters, learningRate, Momentum),
    };
}
