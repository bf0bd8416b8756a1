namespace TfCrnn.Cli.Rendering;

/// <summary>Ctrl+C on a long verb: one line saying how to continue instead of a stack trace.</summary>
internal static class Interruption
{
    /// <summary>
    /// Runs <paramref name="work"/>; when the token System.CommandLine cancels on Ctrl+C ends it, prints
    /// <c>interrupted: hint</c> on stderr and returns <see cref="ExitCodes.Interrupted"/>.
    /// </summary>
    public static async Task<int> HandleAsync(Func<Task<int>> work, string hint, CancellationToken cancellationToken)
    {
        try
        {
            return await work();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Console.Error.WriteLine(hint.Length == 0 ? "interrupted" : $"interrupted: {hint}");
            return ExitCodes.Interrupted;
        }
    }
}
