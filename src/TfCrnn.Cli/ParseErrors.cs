using System.CommandLine;
using System.CommandLine.Parsing;

namespace TfCrnn.Cli;

/// <summary>System.CommandLine's parse errors as one line that names the option, instead of its help page.</summary>
internal static class ParseErrors
{
    public static string Describe(ParseResult parse)
    {
        var error = parse.Errors[0];
        var command = parse.CommandResult.Command;
        if (command.Subcommands.Count > 0 && error.SymbolResult is CommandResult && command.Action is null)
            return $"{Path(parse.CommandResult)} needs a verb: {string.Join(", ", command.Subcommands.Select(c => c.Name))}" +
                   (parse.UnmatchedTokens.Count > 0 ? $" (not '{parse.UnmatchedTokens[0]}')" : "");
        var message = OneLine(error.Message);
        var option = error.SymbolResult switch
        {
            OptionResult o => o.Option.Name,
            ArgumentResult { Parent: OptionResult o } => o.Option.Name,
            _ => null,
        };
        if (option is not null && !message.Contains(option, StringComparison.Ordinal))
            message = $"{option}: {message}";
        return $"{message} (see: {Path(parse.CommandResult)} --help)";
    }

    /// <summary>"Must be one of:\n\t'a'\n\t'b'" → "Must be one of: 'a', 'b'"; .NET type names in words.</summary>
    private static string OneLine(string message)
    {
        var lines = message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var line = lines.Length <= 1 ? message.Trim() : $"{lines[0]} {string.Join(", ", lines[1..])}";
        return line.Replace("as expected type 'System.Int32'", "as a whole number", StringComparison.Ordinal)
            .Replace("as expected type 'System.Double'", "as a number", StringComparison.Ordinal);
    }

    private static string Path(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? r = result; r is CommandResult c; r = c.Parent)
            names.Insert(0, c.Command.Name);
        return string.Join(' ', names);
    }
}
