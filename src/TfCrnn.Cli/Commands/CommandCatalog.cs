using System.CommandLine;

namespace TfCrnn.Cli.Commands;

/// <summary>Every verb of the <c>tfcrnn</c> command, in the order <c>--help</c> lists them.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return QuickstartCommand.Create();
        yield return SynthCommand.Create();
        yield return DataCommand.Create();
        yield return TrainCommand.Create();
        yield return EvalCommand.Create();
        yield return PredictCommand.Create();
        yield return StreamCommand.Create();
        yield return StreamEvalCommand.Create();
        yield return ImportCommand.Create();
        yield return ExportCommand.Create();
        yield return InfoCommand.Create();
        yield return DoctorCommand.Create();
        yield return EncoderCommand.Create();
        yield return AnalyzeCommand.Create();
        yield return TableCommand.Create();
    }

    /// <summary>
    /// The verbs that run libtorch only through <c>InferenceModel</c>, whose convolutions are exact with AVX-512
    /// (<see cref="Native.OneDnnIsa"/>); every other verb loads it for training.
    /// </summary>
    private static readonly HashSet<string> InferenceVerbs = ["eval", "predict", "stream", "stream-eval"];

    public static Native.TorchWorkload WorkloadOf(Command command) =>
        InferenceVerbs.Contains(command.Name) ? Native.TorchWorkload.Inference : Native.TorchWorkload.Training;
}
