using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using TfCrnn.Models;
using TfCrnn.Native;

namespace TfCrnn.Cli.Commands;

/// <summary>
/// <c>tfcrnn doctor</c>: what this machine offers and whether libtorch computes our convolutions right on it
/// (<see cref="ConvolutionSelfCheck"/>); exit status 1 when a check fails.
/// </summary>
internal static class DoctorCommand
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    public static Command Create()
    {
        var json = SharedOptions.Json("{\"cpu\", \"avx512\", \"native_bf16\", \"onednn_max_cpu_isa\", \"onednn_isa_set_by\", \"libtorch\", \"checks\": [{\"name\", \"error\" (null: not a number), \"tolerance\", \"passed\"}], \"failed\"}");
        var layersOnly = new Option<bool>("--layers-only")
        {
            Description = "Check single convolution layers only (a second), not whole models in training and inference (half a minute)",
        };
        var command = new Command("doctor",
            "Check this machine: CPU, oneDNN's instruction-set cap, and float32/bfloat16 convolutions against float64 (exit 1 when one is wrong).")
        {
            json, layersOnly,
        };
        command.SetAction(parse =>
        {
            var loaded = TorchNativeLoader.EnsureLoaded();
            var cpu = CpuInfo.Current;
            var checks = ConvolutionSelfCheck.Run(models: !parse.GetValue(layersOnly));
            var failed = checks.Count(c => !c.Passed);
            var cap = OneDnnIsa.ReadBack();
            var setBy = loaded.OneDnnIsa.Origin switch
            {
                OneDnnIsaOrigin.Toolkit => "tfcrnn",
                OneDnnIsaOrigin.User => "user",
                _ => null,
            };
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    cpu = cpu.Model,
                    avx512 = cpu.Flags.Contains("avx512f"),
                    native_bf16 = cpu.SupportsBFloat16,
                    onednn_max_cpu_isa = cap,
                    onednn_isa_set_by = setBy,
                    libtorch = loaded.Kind.ToString(),
                    checks = checks.Select(c => new { name = c.Name, error = double.IsFinite(c.Error) ? c.Error : (double?)null, tolerance = c.Tolerance, passed = c.Passed }),
                    failed,
                }, JsonOptions));
            }
            else
            {
                Console.WriteLine($"cpu           {cpu.Model}, {cpu.PhysicalCores} cores; AVX-512 {YesNo(cpu.Flags.Contains("avx512f"))}, native bfloat16 {YesNo(cpu.SupportsBFloat16)}");
                Console.WriteLine($"oneDNN cap    {(cap is null ? "none" : $"{cap} (set by {setBy ?? "the environment"})")}");
                Console.WriteLine($"libtorch      {loaded.Kind}{(loaded.PatchedCopy is null ? "" : $" ({loaded.PatchedCopy})")}");
                Console.WriteLine($"convolutions  {checks.Count - failed} of {checks.Count} checks within tolerance of float64");
                foreach (var check in checks.Where(c => !c.Passed))
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  wrong: {check.Name}: relative error {check.Error:G3} (at most {check.Tolerance:G3})"));
            }
            return failed == 0 ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }

    private static string YesNo(bool value) => value ? "yes" : "no";
}
