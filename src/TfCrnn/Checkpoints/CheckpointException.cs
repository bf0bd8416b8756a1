namespace TfCrnn.Checkpoints;

/// <summary>
/// A weights file that cannot be loaded into the model: missing, corrupt, or made for another variant or
/// width. The message names the file and lists the missing, unexpected and mis-shaped keys.
/// </summary>
public sealed class CheckpointException : TfCrnnException
{
    /// <summary>A weights file that cannot be loaded; the message names it.</summary>
    public CheckpointException(string message) : base(message) { }

    /// <summary>A weights file that cannot be loaded, with the error that stopped it.</summary>
    public CheckpointException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Keys the model has and the file lacks.</summary>
    public IReadOnlyList<string> MissingKeys { get; init; } = [];

    /// <summary>Keys the file has and the model lacks.</summary>
    public IReadOnlyList<string> UnexpectedKeys { get; init; } = [];

    /// <summary>"key: file (a, b), model (c, d)" for every key whose shape differs.</summary>
    public IReadOnlyList<string> MisshapedKeys { get; init; } = [];
}
