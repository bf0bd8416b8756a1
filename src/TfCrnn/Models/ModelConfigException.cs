namespace TfCrnn.Models;

/// <summary>
/// A model configuration that gives no valid model: an unknown model name, a width, window or label set the model
/// cannot take, or a <c>config.json</c> that does not parse. The message names the value and the problem.
/// </summary>
public sealed class ModelConfigException : TfCrnnException
{
    /// <summary>An invalid configuration, <paramref name="message"/> saying why.</summary>
    public ModelConfigException(string message) : base(message) { }

    /// <summary>An invalid configuration found by a lower layer (JSON, label sets).</summary>
    public ModelConfigException(string message, Exception inner) : base(message, inner) { }
}
