using TfCrnn.Checkpoints;
using TfCrnn.Models;
using static TorchSharp.torch;

namespace TfCrnn.Interop;

/// <summary>The largest absolute difference between one of our outputs and the reference's.</summary>
/// <param name="Name">The io-file key: <c>logits</c>, <c>hidden</c> or <c>excitation.block{i}</c>.</param>
/// <param name="MaxAbsDiff">Infinity where our output is missing or has another shape.</param>
public sealed record TensorDifference(string Name, double MaxAbsDiff);

/// <summary>How closely a model reproduces a reference io file.</summary>
public sealed record ParityReport(IReadOnlyList<TensorDifference> Differences, bool PredictionsEqual, double Tolerance)
{
    /// <summary>Same predictions, and every difference within the tolerance.</summary>
    public bool Passed => PredictionsEqual && Differences.All(d => d.MaxAbsDiff <= Tolerance);
}

/// <summary>
/// Compares a model with the reference implementation's outputs stored in an io file (a <c>torch.save</c>d dict with
/// <c>input</c> (clips, 1, 16000), <c>logits</c> ((steps,) clips, classes), and for recurrent models <c>hidden</c>
/// and <c>excitation.block{i}</c> (steps, clips, C); see <c>tests/fixtures/reference-narrow/README.md</c>).
/// </summary>
internal static class ReferenceParity
{
    /// <summary>Agreement a faithful float32 implementation reaches.</summary>
    public const double DefaultTolerance = 1e-4;

    /// <summary>Runs the io file's input through <paramref name="model"/> in eval mode and compares every reference output.</summary>
    public static ParityReport Check(SpeechCommandModel model, string ioPath, double tolerance = DefaultTolerance)
    {
        using var scope = NewDisposeScope();
        var io = StateDict.ReadPyTorch(ioPath);
        if (!io.TryGetValue("input", out var input) || !io.TryGetValue("logits", out var expectedLogits))
            throw new CheckpointException($"{ioPath}: not a reference io file (needs the keys 'input' and 'logits')");

        model.eval();
        using var noGrad = no_grad();
        var output = model.Forward(input, ForwardExtras.Excitations);
        // The reference CNN returns (clips, classes); ours always has a step axis.
        var logits = expectedLogits.dim() == 2 ? output.LastStepLogits : output.Logits;
        var expectedLastStep = expectedLogits.dim() == 2 ? expectedLogits : expectedLogits[-1];
        var differences = new List<TensorDifference> { Compare("logits", logits, expectedLogits) };
        if (io.TryGetValue("hidden", out var hidden))
            differences.Add(Compare("hidden", output.Hidden, hidden));
        foreach (var key in io.Keys.Where(k => k.StartsWith("excitation.block", StringComparison.Ordinal))
                     .OrderBy(k => int.Parse(k["excitation.block".Length..])))
        {
            var block = int.Parse(key["excitation.block".Length..]);
            differences.Add(Compare(key, output.Excitations.ElementAtOrDefault(block), io[key]));
        }
        var (predicted, expectedPredicted) = (output.LastStepLogits.argmax(1), expectedLastStep.argmax(-1));
        var predictionsEqual = predicted.shape.SequenceEqual(expectedPredicted.shape) && predicted.eq(expectedPredicted).all().item<bool>();
        return new ParityReport(differences, predictionsEqual, tolerance);
    }

    private static TensorDifference Compare(string name, Tensor? ours, Tensor reference) =>
        new(name, ours is null || !ours.shape.SequenceEqual(reference.shape)
            ? double.PositiveInfinity
            : (ours - reference).abs().max().item<float>());
}
