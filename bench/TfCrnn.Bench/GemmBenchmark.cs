using System.Diagnostics;
using TfCrnn.Native;
using static TorchSharp.torch;

namespace TfCrnn.Bench;

/// <summary>
/// <c>TfCrnn.Bench gemm [--threads 2] [--size 2048]</c>: the machine's attainable matrix-multiply rate in GFLOP/s
/// (libtorch's float32 GEMM, and bfloat16 where the CPU has it natively): the "peak" that the fractions in
/// bench/RESULTS.md refer to. Best of 5 products of two size × size matrices.
/// </summary>
internal static class GemmBenchmark
{
    public static int Run(string[] args)
    {
        var options = new BenchOptions(args);
        TorchThreads.Apply(options.Int("--threads", 2));
        var size = options.Int("--size", 2048);
        var result = new Dictionary<string, object> { ["command"] = "gemm", ["size"] = size, ["fp32_gflops"] = Rate(size, ScalarType.Float32) };
        if (CpuInfo.Current.SupportsBFloat16) result["bf16_gflops"] = Rate(size, ScalarType.BFloat16);
        result["cpu_model"] = CpuInfo.Current.Model;
        result["physical_cores"] = CpuInfo.Current.PhysicalCores;
        result["bf16_native"] = CpuInfo.Current.SupportsBFloat16;
        BenchOptions.Print(result);
        return 0;
    }

    private static double Rate(int size, ScalarType dtype)
    {
        using var a = randn(size, size).to_type(dtype);
        using var b = randn(size, size).to_type(dtype);
        var best = double.MaxValue;
        for (var i = 0; i < 6; i++)
        {
            var clock = Stopwatch.StartNew();
            using var c = a.matmul(b);
            if (i > 0) best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return 2.0 * size * size * size / best / 1e9;
    }
}
