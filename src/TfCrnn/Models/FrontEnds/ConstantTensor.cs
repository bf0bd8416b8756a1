using static TorchSharp.torch;

namespace TfCrnn.Models.FrontEnds;

/// <summary>The front ends' constants (windows, filters), kept as float32 arrays and made into tensors per call.</summary>
internal static class ConstantTensor
{
    /// <summary><paramref name="values"/> as a tensor of <paramref name="shape"/>, in <paramref name="dtype"/> on <paramref name="device"/>.</summary>
    public static Tensor Of(float[] values, long[] shape, ScalarType dtype, Device device)
    {
        if (dtype == ScalarType.Float32) return tensor(values, shape, dtype, device);
        using var single = tensor(values, shape, ScalarType.Float32, device);
        return single.to_type(dtype);
    }
}
