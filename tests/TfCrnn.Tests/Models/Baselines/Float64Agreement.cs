using TfCrnn.Interop;
using TfCrnn.Models;
using static TorchSharp.torch;

namespace TfCrnn.Tests.Models.Baselines;

/// <summary>
/// Whether a model computes in float32 what it computes in float64 on this CPU: logits and every parameter's gradient,
/// which catches libtorch kernels that are wrong for some shapes (README, "CPUs with AVX-512"). The float64 twin is
/// made with float64 as torch's default type, so callers run in <see cref="Support.TorchGlobalStateCollection"/>.
/// The input should be noise-like: a pure tone leaves spectral bands below float32's rounding, which the front ends'
/// logarithms magnify.
/// </summary>
internal static class Float64Agreement
{
    /// <summary>
    /// The largest difference of the logits and of each parameter's gradient after a cross-entropy backward, relative to
    /// the float64 twin's largest magnitude of each, by name ("logits" for the logits).
    /// </summary>
    public static Dictionary<string, double> RelativeDifferences(Func<SpeechCommandModel> create, Tensor input,
        Tensor labels, bool training)
    {
        using var scope = NewDisposeScope();
        using var single = create();
        var defaultType = get_default_dtype();
        set_default_dtype(ScalarType.Float64);
        SpeechCommandModel twin;
        try
        {
            twin = create();
        }
        finally
        {
            set_default_dtype(defaultType);
        }
        using var twinScope = twin;
        StateDict.LoadStrict(twin, single.state_dict(), "float32 twin");
        single.train(training);
        twin.train(training);
        var logits = single.forward(input).LastStepLogits;
        var logits64 = twin.forward(input.to_type(ScalarType.Float64)).LastStepLogits;
        nn.functional.cross_entropy(logits, labels).backward();
        nn.functional.cross_entropy(logits64, labels).backward();

        var differences = new Dictionary<string, double> { ["logits"] = Relative(logits, logits64) };
        var gradients64 = twin.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!);
        foreach (var (name, parameter) in single.named_parameters())
            differences[name] = Relative(parameter.grad!, gradients64[name]);
        return differences;

        static double Relative(Tensor value, Tensor reference) =>
            (value.to_type(ScalarType.Float64) - reference).abs().max().item<double>() / Math.Max(reference.abs().max().item<double>(), 1e-30);
    }
}
