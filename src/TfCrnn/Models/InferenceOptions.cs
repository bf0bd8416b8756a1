using TfCrnn.Native;
using static TorchSharp.torch;

namespace TfCrnn.Models;

/// <summary>The arithmetic of inference.</summary>
public enum InferencePrecision
{
    /// <summary>float32 throughout: the trained model's function, BatchNorm folded into the convolutions.</summary>
    Float32,

    /// <summary>
    /// bfloat16 convolutions (weights, activations, residual sums, excitation products); squeeze, excitation MLPs,
    /// GRU cell and classifier in float32. About twice the convolution speed on CPUs with native bfloat16.
    /// </summary>
    BFloat16,
}

/// <summary>Thrown when the requested inference cannot run here (e.g. bfloat16 on a CPU without it).</summary>
public sealed class InferenceException(string message) : TfCrnnException(message);

/// <summary>How <see cref="InferenceModel"/> runs a model; shared by eval, predict and streaming.</summary>
public sealed record InferenceOptions
{
    /// <summary>float32 (the default) or bfloat16.</summary>
    public InferencePrecision Precision { get; init; } = InferencePrecision.Float32;

    /// <summary>The names users type: <c>fp32</c> and <c>bf16</c>.</summary>
    public static IReadOnlyList<string> PrecisionNames { get; } = ["fp32", "bf16"];

    /// <summary>Parses a name of <see cref="PrecisionNames"/>.</summary>
    /// <exception cref="InferenceException">Unknown name.</exception>
    public static InferencePrecision ParsePrecision(string name) => name.ToLowerInvariant() switch
    {
        "fp32" or "float32" => InferencePrecision.Float32,
        "bf16" or "bfloat16" => InferencePrecision.BFloat16,
        _ => throw new InferenceException($"precision '{name}' is not one of: {string.Join(", ", PrecisionNames)}"),
    };

    /// <summary>Checks that <see cref="Precision"/> runs natively on <paramref name="device"/> (CPU when null).</summary>
    /// <exception cref="InferenceException">bfloat16 on a CPU without AVX-512 BF16 or AMX.</exception>
    public InferenceOptions Validate(Device? device = null)
    {
        var cpu = CpuInfo.Current;
        if (Precision == InferencePrecision.BFloat16 && (device is null || device.type == TorchSharp.DeviceType.CPU) && !cpu.SupportsBFloat16)
            throw new InferenceException(
                $"precision bf16 needs a CPU with AVX-512 BF16 or AMX instructions (flag avx512_bf16 or amx_bf16 in " +
                $"/proc/cpuinfo); this CPU ({cpu.Model}) has neither and would emulate bfloat16 slower than fp32: use fp32");
        return this;
    }
}
