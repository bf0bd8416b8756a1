using System.Diagnostics;

namespace TfCrnn.Tests.Support;

/// <summary>What a child process printed and returned.</summary>
internal sealed record ProcessResult(int Exit, string Stdout, string Stderr);

/// <summary>Runs a program as a user would from a shell: arguments, optional stdin, captured output, a timeout.</summary>
internal static class ChildProcess
{
    public static async Task<ProcessResult> RunAsync(string program, IEnumerable<string> arguments, byte[]? stdin = null,
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
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.BaseStream.WriteAsync(stdin);
            process.StandardInput.Close();
        }
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(cancel.Token);
        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The built <c>tfcrnn</c> command (<c>dotnet TfCrnn.Cli.dll</c>, copied beside the tests).</summary>
    public static Task<ProcessResult> TfCrnnAsync(params string[] arguments) =>
        RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "TfCrnn.Cli.dll"), .. arguments]);
}
