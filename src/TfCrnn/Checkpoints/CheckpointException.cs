namespace TfCrnn.Checkpoints;

/// <summary>
/// A weights file that cannot be loaded into the model: missing, corrupt, or made for another variant or
/// width. The message names the file and lists the missing, unexpected and mis-shaped keys.
/// </summary>
public sealed class CheckpointException : TfCrnnException
{
    public CheckpointException(string message) : base(message) { }

    public CheckpointException(string message, Exception inner) : base(message, inner) { }

    public IReadOnlyList<string> MissingKeys { get; init; } = [];

    public IReadOnlyList<string> UnexpectedKeys { get; init; } = [];

    /// <summary>"key: file (a, b), model (c, d)" for every key whose shape differs.</summary>
    public IReadOnlyList<string> MisshapedKeys { get; init; } = [];
}
