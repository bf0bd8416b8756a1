using TfCrnn.Cli.Commands;

namespace TfCrnn.Cli;

/// <summary>The text of an input error's <c>error:</c> line.</summary>
internal static class InputErrors
{
    /// <summary>The message, with the flag that sets an option where the library names its property.</summary>
    public static string Describe(TfCrnnException e) =>
        e is OptionException option && RecognizerCommandOptions.FlagOf(option.Option) is { } flag ? $"{flag} {option.Problem}" : e.Message;
}
