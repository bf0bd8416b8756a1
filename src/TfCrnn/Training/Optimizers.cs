using TorchSharp.Modules;

namespace TfCrnn.Training;

/// <summary>
/// The optimizers <c>train --optimizer</c> offers: <c>sgd</c>, the paper's SGD with Nesterov momentum 0.9 (section 4), and
/// <c>adam</c>, which leaves the first epochs' plateau sooner at small budgets (bench/results/augmentation.md, "Adam at
/// the quickstart's budget"). Either follows the run's <see cref="LearningRateSchedule"/>.
/// </summary>
internal static class Optimizers
{
    public const string Sgd = "sgd";
    public const string Adam = "adam";

    public static readonly IReadOnlyList<string> Names = [Sgd, Adam];

    /// <summary>The paper's momentum.</summary>
    public const double Momentum = 0.9;

    /// <summary>How a report names the optimizer: <c>SGD Nesterov 0.9</c> or <c>Adam</c>.</summary>
    public static string Describe(string name) => name == Adam ? "Adam" : "SGD Nesterov 0.9";

    /// <summary>The optimizer <paramref name="name"/> over <paramref name="parameters"/>; throws <see cref="OptionException"/> for an unknown name.</summary>
    public static OptimizerHelper Create(string name, IEnumerable<Parameter> parameters, double learningRate)
    {
        OptionChecks.OneOf("--optimizer", name, Names);
        return name == Adam ? new ScalarSafeAdam(parameters, learningRate) : new NesterovSgd(parameters, learningRate, Momentum);
    }
}
