namespace TfCrnn;

/// <summary>
/// An option value that an options record's <c>Validate()</c> rejects. <see cref="Option"/> is the option as the
/// <c>tfcrnn</c> command spells it (<c>--batch-size</c>), so that the CLI and C# callers read the same message.
/// </summary>
public sealed class OptionException(string option, string problem) : TfCrnnException($"{option} {problem}")
{
    public string Option { get; } = option;
}
