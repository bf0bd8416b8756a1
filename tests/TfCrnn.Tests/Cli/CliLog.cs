namespace TfCrnn.Tests.Cli;

/// <summary>
/// With <c>TFCRNN_CLI_LOG=FILE</c> set, the CLI tests append each command and what it printed to FILE, a record of
/// the inputs tried (the suite passes or fails the same without it).
/// </summary>
internal static class CliLog
{
    private static readonly Lock Gate = new();

    public static void Write(CliResult result)
    {
        if (Environment.GetEnvironmentVariable("TFCRNN_CLI_LOG") is not { Length: > 0 } path) return;
        var printed = result.ErrorLines.Count > 0 ? string.Join(" | ", result.ErrorLines) : result.Stdout.Split('\n')[0];
        lock (Gate)
            File.AppendAllText(path, $"{result.CommandLine}\t{result.ExitCode}\t{printed}\n");
    }
}
