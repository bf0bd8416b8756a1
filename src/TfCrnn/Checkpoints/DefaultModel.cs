using TfCrnn.SpeechEmbedding;

namespace TfCrnn.Checkpoints;

/// <summary>The model a verb uses without <c>--checkpoint</c>, and the line that says so on stderr (null when it is the usual one).</summary>
/// <param name="Path">The model folder.</param>
/// <param name="Note">One line for stderr when the choice is not <c>models/default</c>.</param>
internal sealed record DefaultChoice(string Path, string? Note);

/// <summary>
/// The models that ship with tfcrnn (<c>models/</c> in the repository, copied beside the program when it is built): what
/// <c>predict</c>, <c>stream</c> and <c>stream-eval</c> use when no <c>--checkpoint</c> is given. <c>models/default</c>
/// (raw waveform, TF-Res-SE) always; <c>models/embedding</c> (a head over the speech embedding, which hears real people far
/// better: bench/results/real-speech.md) instead, where it ships and the speech-embedding encoder is installed (or
/// <c>--encoder</c> given). Each folder's <c>MODEL.md</c> records the commands, seed and data recipe that made it.
/// </summary>
internal static class DefaultModel
{
    /// <summary>Where the build puts the default model, relative to the program's folder.</summary>
    public const string RelativeDirectory = "models/default";

    /// <summary>Where the build puts the speech-embedding model, relative to the program's folder.</summary>
    public const string EmbeddingRelativeDirectory = "models/embedding";

    /// <summary>
    /// Read instead of the program's folder for the shipped models (<c>TFCRNN_MODELS=DIR</c>: DIR/default, DIR/embedding);
    /// the tests run the command on models they make.
    /// </summary>
    public const string ModelsVariable = "TFCRNN_MODELS";

    private static string Root => Environment.GetEnvironmentVariable(ModelsVariable) is { Length: > 0 } root
        ? root
        : System.IO.Path.Combine(AppContext.BaseDirectory, "models");

    /// <summary>The default model folder of this build.</summary>
    public static string Directory => System.IO.Path.Combine(Root, "default");

    /// <summary>The speech-embedding model folder of this build.</summary>
    public static string EmbeddingDirectory => System.IO.Path.Combine(Root, "embedding");

    /// <summary><see cref="Directory"/>, or null when this build carries no default model.</summary>
    public static string? Locate() => File.Exists(System.IO.Path.Combine(Directory, ModelFolder.ConfigFile)) ? Directory : null;

    /// <summary>
    /// <paramref name="checkpoint"/>; when it is null, the speech-embedding model where it ships and the encoder is there
    /// (<paramref name="encoderDirectory"/>, <c>--encoder</c>, or the per-user cache), otherwise the default model.
    /// </summary>
    /// <exception cref="OptionException">No checkpoint given and this build carries neither model, or <c>--encoder</c>
    /// names a folder without the encoder's files.</exception>
    public static DefaultChoice Resolve(string? checkpoint, string? encoderDirectory = null)
    {
        if (checkpoint is not null) return new DefaultChoice(checkpoint, null);
        var embedding = File.Exists(System.IO.Path.Combine(EmbeddingDirectory, ModelFolder.ConfigFile));
        // A given --encoder must hold the pinned files (Locate throws, naming the install command); else look for the installed ones.
        var encoder = encoderDirectory is not null ? EncoderFiles.Locate(encoderDirectory).Length > 0 : EncoderFiles.Installed;
        if (embedding && encoder)
            return new DefaultChoice(EmbeddingDirectory,
                $"using the shipped speech-embedding model ({EmbeddingRelativeDirectory}/), as the encoder is " +
                (encoderDirectory is null ? "installed" : "given") + $"; --checkpoint {RelativeDirectory} for the raw-waveform model");
        return new DefaultChoice(Locate() ?? throw new OptionException("--checkpoint",
            $"is required: this build carries no default model ({Directory} is missing)"), null);
    }
}
