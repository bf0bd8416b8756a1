namespace TfCrnn;

/// <summary>
/// An option value that an options record's <c>Validate()</c> rejects. <see cref="Option"/> names it: the runtime
/// names the property (<c>RecognizerOptions.Threshold</c>, <c>StatePolicy</c>); the toolkit's verb options name the
/// <c>tfcrnn</c> flag they mirror (<c>--batch-size</c>). The <c>tfcrnn</c> command shows its own flag for a property.
/// </summary>
public sealed class OptionException(string option, string problem) : TfCrnnException($"{option} {problem}")
{
    /// <summary>The option, as the caller sets it.</summary>
    public string Option { get; } = option;

    /// <summary>What is wrong with its value, without the option's name.</summary>
    public string Problem { get; } = problem;
}
