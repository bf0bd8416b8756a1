using System.Diagnostics;

namespace TfCrnn.Tests.Support;

/// <summary>What a child process printed and returned.</summary>
internal sealed record ProcessResult(int ExitCode, string Stdout, string Stderr);

/// <summary>Child processes of tests never outlive their timeout.</summary>
internal static class ChildProcess
{
    /// <summary>Waits for <paramref name="process"/> to end; past <paramref name="timeout"/> kills it and its children and throws.</summary>
    public static async Task WaitAsync(Process process, TimeSpan timeout, string what)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"{what} ran longer than {timeout}: killed");
        }
    }

    /// <summary>
    /// Runs a program other than <c>tfcrnn</c> (for that, <see cref="Cli.CliRun"/>) as a user would from a shell:
    /// arguments, optional bytes on stdin, captured output, a timeout (5 minutes unless given).
    /// </summary>
    public static async Task<ProcessResult> RunAsync(string program, IReadOnlyList<string> arguments, byte[]? stdin = null,
        string? workingDirectory = null, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{program} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.BaseStream.WriteAsync(stdin);
            process.StandardInput.Close();
        }
        await WaitAsync(process, timeout ?? TimeSpan.FromMinutes(5), $"{program} {string.Join(' ', arguments)}");
        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }
}
