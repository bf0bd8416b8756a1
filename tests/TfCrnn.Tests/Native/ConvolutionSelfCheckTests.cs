using System.CommandLine;
using TfCrnn.Cli.Commands;
using TfCrnn.Models;
using TfCrnn.Native;
using TfCrnn.Tests.Cli;

namespace TfCrnn.Tests.Native;

/// <summary>
/// libtorch computes our convolutions right on this CPU (<see cref="ConvolutionSelfCheck"/>), and the oneDNN
/// instruction-set cap that makes it so (<see cref="OneDnnIsa"/>) is in force in a fresh <c>tfcrnn</c> process. On a
/// CPU with AVX-512 the uncapped kernels are checked to be wrong for training and right for inference, which is what
/// the cap's workload rule rests on; elsewhere that test is skipped.
/// </summary>
public sealed class ConvolutionSelfCheckTests
{
    private static bool HasAvx512 => CpuInfo.Current.Flags.Contains("avx512f");

    /// <summary>The child's environment without a cap of the test runner's own.</summary>
    private static Dictionary<string, string?> Environment(string? cap) =>
        new() { [OneDnnIsa.Variable] = cap, ["DNNL_MAX_CPU_ISA"] = null };

    [Fact]
    public void EveryConvolutionOfTheBlocksAgreesWithFloat64InThisProcess()
    {
        var checks = ConvolutionSelfCheck.Run();

        // 1-D: 4 layer shapes × 3 results × widths 8, 16, 24; 2-D: AttnCRNN's two (2 + 3 results), HarmonicCNN's
        // 4 shapes × 3 results × 3 widths; models: 3 variants × 3 widths × (fp32, bf16, logits, gradients), AttnCRNN at its
        // one size and HarmonicCNN at 3 widths × (fp32, logits, gradients).
        Assert.Equal(36 + 5 + 36 + 36 + 3 + 9, checks.Count);
        Assert.Contains(checks, c => c.Name.StartsWith("attn-crnn conv 10→1 5×1 channels-last", StringComparison.Ordinal));
        Assert.Contains(checks, c => c.Name == "harmonic-cnn width 24, training: parameter gradients");
        Assert.All(checks, c => Assert.True(c.Passed, $"{c.Name}: relative error {c.Error} > {c.Tolerance}"));
    }

    [Fact]
    public async Task AFreshProcessCapsOneDnnAtAvx2ExactlyWhereTheCpuHasAvx512()
    {
        var report = (await CliRun.RunAsync(["doctor", "--json", "--layers-only"], environment: Environment(null))).Succeeded().Json();

        Assert.Equal(HasAvx512, (bool)report["avx512"]!);
        Assert.Equal(HasAvx512 ? "AVX2" : null, (string?)report["onednn_max_cpu_isa"]);
        Assert.Equal(HasAvx512 ? "tfcrnn" : null, (string?)report["onednn_isa_set_by"]);
        Assert.Equal(0, (int)report["failed"]!);
        Assert.Equal(36 + 5 + 36, report["checks"]!.AsArray().Count); // the 1-D and 2-D layer checks
    }

    [Fact]
    public async Task TheUsersOwnCapIsLeftAsItIs()
    {
        var report = (await CliRun.RunAsync(["doctor", "--json", "--layers-only"], environment: Environment("SSE41"))).Succeeded().Json();

        Assert.Equal("SSE41", (string?)report["onednn_max_cpu_isa"]);
        Assert.Equal("user", (string?)report["onednn_isa_set_by"]);
    }

    [SkippableFact]
    public async Task WithoutTheCapAvx512GetsTrainingWrongAndInferenceRight()
    {
        Skip.IfNot(HasAvx512, "this CPU has no AVX-512, whose oneDNN kernels the cap keeps out");
        var result = await CliRun.RunAsync(["doctor", "--json"], environment: Environment("ALL"), timeout: TimeSpan.FromMinutes(5));

        Assert.Equal(1, result.ExitCode);
        var failed = result.Json()["checks"]!.AsArray().Where(c => !(bool)c!["passed"]!).Select(c => (string)c!["name"]!).ToList();
        Assert.Contains(failed, name => name.StartsWith("conv 24→24", StringComparison.Ordinal));
        Assert.Contains(failed, name => name.StartsWith("conv 8→8", StringComparison.Ordinal));
        Assert.Contains(failed, name => name.EndsWith("training: parameter gradients", StringComparison.Ordinal));
        Assert.DoesNotContain(failed, name => name.Contains("inference", StringComparison.Ordinal));
    }

    [Fact]
    public void OnlyTheVerbsThatRunInferenceModelsAloneLoadLibtorchUncapped()
    {
        var verbs = CommandCatalog.All().ToDictionary(c => c.Name, CommandCatalog.WorkloadOf);

        Assert.Equal(["eval", "predict", "stream", "stream-eval"],
            verbs.Where(v => v.Value == TorchWorkload.Inference).Select(v => v.Key).Order(StringComparer.Ordinal));
        Assert.Equal(TorchWorkload.Training, verbs["train"]);
        Assert.Equal(TorchWorkload.Training, verbs["quickstart"]);
        Assert.Equal(TorchWorkload.Training, verbs["analyze"]);
    }
}
