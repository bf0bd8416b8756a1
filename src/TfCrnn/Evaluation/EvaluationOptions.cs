using TfCrnn.Checkpoints;
using TfCrnn.Data;
using TfCrnn.Models;

namespace TfCrnn.Evaluation;

/// <summary>Which clips <c>eval</c> scores.</summary>
public enum EvaluationSplit
{
    /// <summary>The training clips.</summary>
    Train,

    /// <summary>The validation clips.</summary>
    Valid,

    /// <summary>The test clips.</summary>
    Test,

    /// <summary>Every clip of the dataset.</summary>
    All,
}

internal static class EvaluationSplits
{
    /// <summary>The names <see cref="Parse"/> accepts, as the CLI spells them.</summary>
    public static readonly IReadOnlyList<string> Names = ["train", "valid", "test", "all"];

    public static string Name(this EvaluationSplit split) => split.ToString().ToLowerInvariant();

    /// <summary>train, valid, test or all; throws <see cref="OptionException"/> for anything else.</summary>
    public static EvaluationSplit Parse(string name)
    {
        OptionChecks.OneOf("--split", name, Names);
        return Enum.Parse<EvaluationSplit>(name, ignoreCase: true);
    }

    /// <summary>The clips of <paramref name="split"/> in <paramref name="data"/> (every clip for <see cref="EvaluationSplit.All"/>).</summary>
    public static IReadOnlyList<Clip> Clips(this SpeechCommandsDataset data, EvaluationSplit split) => split switch
    {
        EvaluationSplit.Train => data.Clips(Split.Train),
        EvaluationSplit.Valid => data.Clips(Split.Valid),
        EvaluationSplit.Test => data.Clips(Split.Test),
        _ => data.AllClips,
    };
}

/// <summary>What <c>tfcrnn eval</c> does, callable from C#: <see cref="Evaluator.RunAsync"/>.</summary>
public sealed record EvaluationOptions
{
    /// <summary>A run folder, a model folder, or a weights file with config.json beside it.</summary>
    public required string Checkpoint { get; init; }

    /// <summary>Speech Commands folder or archive.</summary>
    public required string DataPath { get; init; }

    /// <summary>The split scored (default test).</summary>
    public EvaluationSplit Split { get; init; } = EvaluationSplit.Test;

    /// <summary>Where to write the report files (<see cref="EvaluationFiles"/>); none when null.</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>Clips per forward pass.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Intra-op threads of the engine; 0: one per physical core (<see cref="Native.TorchThreads.Apply"/>).</summary>
    public int Threads { get; init; }

    /// <summary>Precision of the forward passes (float32 unless asked; bfloat16 on the torch engine only).</summary>
    public InferenceOptions Inference { get; init; } = new();

    /// <summary>ONNX Runtime unless TorchSharp is asked or needed (<see cref="Checkpoints.InferenceEngines.Resolve"/>).</summary>
    public Checkpoints.InferenceEngine Engine { get; init; }

    /// <summary>
    /// A folder holding the speech-embedding encoder's two files (<c>--encoder</c>), for models that hear it; null: the
    /// per-user cache that <c>tfcrnn encoder install</c> fills.
    /// </summary>
    public string? EncoderDirectory { get; init; }

    /// <summary>The embedding cache's root (<c>--embedding-cache</c>); null: the per-user cache folder.</summary>
    public string? EmbeddingCache { get; init; }

    /// <summary>Where a frozen front end finds its encoder and cache.</summary>
    internal SpeechEmbedding.FrontEndOptions FrontEnd => new(EncoderDirectory, EmbeddingCache, Threads);

    /// <summary>
    /// Score <see cref="DataPath"/> as the 12-label benchmark (<see cref="TwelveLabelBenchmark.RunAsync"/>, which needs it
    /// set); the other scorings refuse it.
    /// </summary>
    public bool TwelveLabel { get; init; }

    /// <summary>
    /// Where <c>tfcrnn eval</c> writes without <c>--out</c>: <c>RUN/eval-SPLIT</c> inside a run folder, otherwise
    /// <c>eval-SPLIT</c> in the current folder.
    /// </summary>
    public static string DefaultOutputDirectory(string checkpoint, EvaluationSplit split) =>
        Path.Combine(Checkpoints.CheckpointLocator.IsRunFolder(checkpoint) ? checkpoint : ".", $"eval-{split.Name()}");

    /// <summary>
    /// Checks that the <c>tfcrnn eval</c> options <paramref name="given"/> fit together: <c>--twelve-label</c> scores a
    /// folder of its own layout (no <c>--split</c>) without noise (<see cref="GeneralizationOptions"/>), and
    /// <c>--noise-seed</c> seeds the noise of <c>--snr</c>.
    /// </summary>
    /// <exception cref="OptionException">An option that does not apply, named.</exception>
    public static void CheckMode(IReadOnlyCollection<string> given)
    {
        if (given.Contains("--twelve-label"))
        {
            OptionChecks.NoneOf(given, ["--snr"], "cannot be combined with --twelve-label");
            OptionChecks.NoneOf(given, ["--split"], "does not apply to --twelve-label, which scores the whole folder");
        }
        if (!given.Contains("--snr")) OptionChecks.NoneOf(given, ["--noise-seed"], "needs --snr");
    }

    /// <summary>Throws <see cref="OptionException"/> naming the first bad value.</summary>
    public EvaluationOptions Validate()
    {
        OptionChecks.Required("--checkpoint", Checkpoint);
        OptionChecks.Required("--data", DataPath);
        OptionChecks.AtLeast("--batch-size", BatchSize, 1);
        OptionChecks.NotNegative("--threads", Threads);
        Checkpoints.InferenceEngines.Check(Engine, Inference.Precision);
        Inference.Validate();
        return this;
    }
}
