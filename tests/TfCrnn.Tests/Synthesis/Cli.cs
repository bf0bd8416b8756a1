using System.Diagnostics;

namespace TfCrnn.Tests.Synthesis;

/// <summary>Runs the real <c>tfcrnn</c> entry point (the built CLI assembly) as a user does.</summary>
internal static class Cli
{
    public sealed record Outcome(int ExitCode, string Stdout, string Stderr);

    public static async Task<Outcome> RunAsync(params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "TfCrnn.Cli.dll"));
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new Outcome(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs and asserts success; returns stdout.</summary>
    public static async Task<string> SucceedAsync(params string[] arguments)
    {
        var outcome = await RunAsync(arguments);
        Assert.True(outcome.ExitCode == 0, $"exit {outcome.ExitCode}: {outcome.Stderr}");
        return outcome.Stdout;
    }

    /// <summary>Runs and asserts an input error: exit status 2 and exactly one <c>error:</c> line on stderr, which is returned.</summary>
    public static async Task<string> FailAsync(params string[] arguments)
    {
        var outcome = await RunAsync(arguments);
        Assert.Equal(2, outcome.ExitCode);
        var errors = outcome.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("error: ", StringComparison.Ordinal)).ToList();
        Assert.Single(errors);
        Assert.DoesNotContain("   at ", outcome.Stderr, StringComparison.Ordinal);
        return errors[0];
    }
}
