using static TorchSharp.torch;

namespace TfCrnn.Models.Layers;

/// <summary>The channels-last memory layout of 4-D tensors, which oneDNN's 2-D convolutions take without reordering.</summary>
internal static class ChannelsLast
{
    /// <summary>A copy of (batch, C, H, W) <paramref name="planar"/> in channels-last layout (strides C·W·H, 1, W·C, C).</summary>
    public static Tensor Copy(Tensor planar)
    {
        using var nhwc = planar.permute(0, 2, 3, 1);
        using var packed = nhwc.contiguous();
        return packed.permute(0, 3, 1, 2);
    }
}
