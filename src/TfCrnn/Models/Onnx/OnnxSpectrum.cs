using static TfCrnn.Models.Onnx.OnnxGraphBuilder;

namespace TfCrnn.Models.Onnx;

/// <summary>The short-time power spectrum as ONNX operators, for the front ends' graphs.</summary>
internal static class OnnxSpectrum
{
    /// <summary>
    /// The power spectrum |Σₙ w[n] x[t·hop + n] e^(−2πikn/N)|², N = <paramref name="window"/>'s length, as one
    /// convolution with the windowed cosine and sine bases (stride hop) and a sum of squares: (batch, 1, samples) →
    /// (batch, N / 2 + 1, frames), frames from the first sample, no padding. Not ONNX's STFT: the ONNX checker of
    /// Debian 12 (onnx 1.12) infers its one-sided output with N bins, not N / 2 + 1, and rejects the graph.
    /// </summary>
    public static string Power(OnnxGraphBuilder g, string x, string scope, float[] window, int hop)
    {
        var size = window.Length;
        var bins = size / 2 + 1;
        var bases = new float[2 * bins * size]; // (2 · bins, 1, N): the cosines, then the sines
        for (var k = 0; k < bins; k++)
            for (var n = 0; n < size; n++)
            {
                var angle = 2 * Math.PI * ((long)k * n % size) / size;
                bases[k * size + n] = (float)(window[n] * Math.Cos(angle));
                bases[(bins + k) * size + n] = (float)(window[n] * Math.Sin(angle));
            }
        var parts = g.Node("Conv", scope, [x, g.Constant($"{scope}.dft_bases", bases, 2 * bins, 1, size)],
            Ints("kernel_shape", size), Ints("strides", hop));
        var squared = g.Node("Mul", scope, [parts, parts]);
        var (real, imaginary) = (g.Node("Slice", scope, [squared, g.Int64s(0), g.Int64s(bins), g.Int64s(1)]),
            g.Node("Slice", scope, [squared, g.Int64s(bins), g.Int64s(2 * bins), g.Int64s(1)]));
        return g.Node("Add", scope, [real, imaginary]);
    }
}
