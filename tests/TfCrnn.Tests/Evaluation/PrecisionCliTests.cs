using System.Diagnostics;
using TfCrnn.Interop;
using TfCrnn.Models;
using TfCrnn.Native;
using TfCrnn.Tests.Support;

namespace TfCrnn.Tests.Evaluation;

/// <summary><c>--precision</c> of <c>eval</c> and <c>predict</c>, run as a user runs the CLI.</summary>
public sealed class PrecisionCliTests
{
    [Fact]
    public async Task Predict_runs_in_the_precision_this_cpu_supports_and_refuses_bf16_where_it_lacks_it()
    {
        using var folder = new TempDirectory();
        var model = folder.Combine("model");
        using (var m = ModelFactory.Create("tfcrnn-resse", width: 8)) ModelFolder.Save(m, model);
        var clip = TestPaths.Fixture("short_clip.wav");

        var fp32 = await RunCliAsync("predict", "--checkpoint", model, "--precision", "fp32", "--top", "1", clip);
        Assert.Equal(0, fp32.ExitCode);

        var bf16 = await RunCliAsync("predict", "--checkpoint", model, "--precision", "bf16", "--top", "1", clip);
        if (CpuInfo.Current.SupportsBFloat16)
            Assert.Equal(0, bf16.ExitCode);
        else
            AssertRefused(bf16);
    }

    [Fact]
    public async Task Eval_refuses_bf16_before_reading_anything_where_the_cpu_lacks_it()
    {
        if (CpuInfo.Current.SupportsBFloat16) return; // the predict test runs bf16 end to end there
        using var folder = new TempDirectory();
        AssertRefused(await RunCliAsync("eval", "--checkpoint", folder.Combine("none"), "--data", folder.Combine("none"),
            "--precision", "bf16"));
    }

    private static void AssertRefused((int ExitCode, string Stdout, string Stderr) run)
    {
        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: precision bf16 needs a CPU with AVX-512 BF16 or AMX", line);
        Assert.Equal("", run.Stdout);
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunCliAsync(params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "TfCrnn.Cli.dll"));
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }
}
