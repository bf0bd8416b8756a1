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

/// <summary>How <see cref="InferenceModel"/> runs a model; shared by eval, predict and streaming.</summary>
public sealed record InferenceOptions
{
    /// <summary>float32 (the default) or bfloat16.</summary>
    public InferencePrecision Precision { get; init; } = InferencePrecision.Float32;

    /// <summary>The names users type: <c>fp32</c> and <c>bf16</c>.</summary>
    public static IReadOnlyList<string> PrecisionNames { get; } = ["fp32", "bf16"];

    /// <summary>Parses a name of <see cref="PrecisionNames"/>; throws <see cref="OptionException"/> for anything else.</summary>
    public static InferencePrecision ParsePrecision(string name)
    {
        OptionChecks.OneOf("--precision", name, PrecisionNames);
        return name == "bf16" ? InferencePrecision.BFloat16 : InferencePrecision.Float32;
    }

    /// <summary>Checks that <see cref="Precision"/> runs natively on <paramref name="device"/> (CPU when null).</summary>
    /// <exception cref="OptionException">bfloat16 on a CPU without AVX-512 BF16 or AMX.</exception>
    public InferenceOptions Validate(Device? device = null)
    {
        var cpu = CpuInfo.Current;
        if (Precision == InferencePrecision.BFloat16 && (device is null || device.type == TorchSharp.DeviceType.CPU) && !cpu.SupportsBFloat16)
            throw new OptionException("--precision",
                $"bf16 needs a CPU with AVX-512 BF16 or AMX instructions (flag avx512_bf16 or amx_bf16 in " +
                $"/proc/cpuinfo); this CPU ({cpu.Model}) has neither and would emulate bfloat16 slower than fp32: use fp32");
        return this;
    }
}
