using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using TfCrnn.Tests.Support;

namespace TfCrnn.Tests.Cli;

/// <summary>What one run of the <c>tfcrnn</c> command printed and returned.</summary>
internal sealed record CliResult(IReadOnlyList<string> Arguments, int ExitCode, string Stdout, string Stderr)
{
    public string CommandLine => "tfcrnn " + string.Join(' ', Arguments);

    /// <summary>Lines of stderr that start with <c>error:</c>.</summary>
    public IReadOnlyList<string> ErrorLines =>
        [.. Stderr.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.StartsWith("error:", StringComparison.Ordinal))];

    /// <summary>Asserts exit status 0 and no error line; returns this for more checks.</summary>
    public CliResult Succeeded()
    {
        Assert.True(ExitCode == 0, $"{CommandLine}: exit {ExitCode}\n{Stderr}");
        Assert.Empty(ErrorLines);
        return this;
    }

    /// <summary>stdout parsed as JSON (a verb's <c>--json</c> output).</summary>
    public JsonNode Json() => JsonNode.Parse(Stdout) ?? throw new Xunit.Sdk.XunitException($"{CommandLine}: empty JSON");

    /// <summary>
    /// Asserts an input error as the README promises it: exit status <paramref name="exitCode"/>, exactly one
    /// <c>error:</c> line on stderr, no stack trace and nothing on stdout. Returns the error line.
    /// </summary>
    public string FailedWith(int exitCode = 2)
    {
        var context = $"{CommandLine}: exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
        Assert.True(ExitCode == exitCode, context);
        Assert.True(ErrorLines.Count == 1, context);
        Assert.DoesNotContain("Unhandled exception", Stderr);
        Assert.DoesNotContain("\n   at ", "\n" + Stderr);
        Assert.DoesNotContain("Usage:", Stderr + Stdout);
        return ErrorLines[0];
    }
}

/// <summary>
/// Runs the built <c>tfcrnn</c> command (<c>dotnet TfCrnn.Cli.dll</c>, copied beside the tests) as a user does: its
/// own process, arguments, optional stdin, stdout and stderr captured, a timeout. Output is not a terminal, so
/// progress comes as plain lines on stderr.
/// </summary>
internal static class CliRun
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(3);

    private static string CliPath => Path.Combine(AppContext.BaseDirectory, "TfCrnn.Cli.dll");

    public static CliResult Run(params string[] arguments) => RunAsync(arguments).GetAwaiter().GetResult();

    /// <summary>Runs and asserts success; returns stdout.</summary>
    public static async Task<string> SucceedAsync(params string[] arguments) => (await RunAsync(arguments)).Succeeded().Stdout;

    /// <summary>Runs and asserts an input error (<see cref="CliResult.FailedWith"/>); returns the error line.</summary>
    public static async Task<string> FailAsync(params string[] arguments) => (await RunAsync(arguments)).FailedWith();

    /// <param name="environment">Variables to set in the child's environment (a null value removes one).</param>
    public static async Task<CliResult> RunAsync(IReadOnlyList<string> arguments, string? stdin = null, TimeSpan? timeout = null,
        string? workingDirectory = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        using var process = Start(arguments, workingDirectory, environment: environment);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null) await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        return await FinishAsync(process, arguments, stdout, stderr, timeout ?? DefaultTimeout);
    }

    /// <summary>
    /// Starts the command and calls <paramref name="whenReady"/> with the process once a line of stderr satisfies
    /// <paramref name="ready"/> (e.g. to send SIGINT while it works); then waits for it to end.
    /// </summary>
    public static async Task<CliResult> RunUntilAsync(IReadOnlyList<string> arguments, Func<string, bool> ready, Action<Process> whenReady,
        TimeSpan? timeout = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        using var process = Start(arguments, null, defaultSigint: true, environment);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var seen = new TaskCompletionSource();
        var stderr = Task.Run(async () =>
        {
            var text = new System.Text.StringBuilder();
            while (await process.StandardError.ReadLineAsync() is { } line)
            {
                text.AppendLine(line);
                if (ready(line)) seen.TrySetResult();
            }
            seen.TrySetResult();
            return text.ToString();
        });
        await seen.Task.WaitAsync(timeout ?? DefaultTimeout);
        if (!process.HasExited) whenReady(process);
        return await FinishAsync(process, arguments, stdout, stderr, timeout ?? DefaultTimeout);
    }

    /// <summary>Sends SIGINT, as Ctrl+C in a terminal does.</summary>
    public static void Interrupt(Process process) => Assert.Equal(0, kill(process.Id, 2));

    /// <param name="defaultSigint">
    /// Start with SIGINT's default disposition. A test run started in the background by a non-interactive shell
    /// (`./test.sh &`, as CI scripts do) ignores SIGINT, children inherit that, and .NET keeps an ignored signal
    /// ignored; coreutils' <c>env --default-signal</c> gives the child what a terminal's Ctrl+C would reach.
    /// </param>
    private static Process Start(IReadOnlyList<string> arguments, string? workingDirectory, bool defaultSigint = false,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var info = new ProcessStartInfo(defaultSigint ? "env" : "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        if (defaultSigint)
        {
            info.ArgumentList.Add("--default-signal=INT");
            info.ArgumentList.Add("dotnet");
        }
        info.ArgumentList.Add(CliPath);
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        info.Environment.Remove("TFCRNN_STACK_TRACE");
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null) info.Environment.Remove(name);
            else info.Environment[name] = value;
        }
        return Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
    }

    private static async Task<CliResult> FinishAsync(Process process, IReadOnlyList<string> arguments, Task<string> stdout, Task<string> stderr,
        TimeSpan timeout)
    {
        await ChildProcess.WaitAsync(process, timeout, $"tfcrnn {string.Join(' ', arguments)}");
        return new CliResult(arguments, process.ExitCode, await stdout, await stderr);
    }

    [DllImport("libc", SetLastError = true)]
#pragma warning disable SYSLIB1054 // one signal call in tests; no source-generated marshalling needed
    private static extern int kill(int pid, int signal);
#pragma warning restore SYSLIB1054
}
