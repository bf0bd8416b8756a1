using Onnx;
using TfCrnn.Interop.Onnx;
using TfCrnn.Runtime.Onnx;
using static TfCrnn.Interop.Onnx.OnnxGraphBuilder;

namespace TfCrnn.Models.HarmonicCnn;

/// <summary>
/// HarmonicCNN's clip graph as ONNX (opset 17) operators, from the model's eval-mode state dict:
/// <c>waveform</c> (batch, 1, clip samples) scaled → <c>logits</c> (1, batch, classes), the clip contract of
/// <see cref="OnnxMetadata"/> with one step. The clip is centred in 80,000 samples as in eval mode; the STFT is a
/// convolution with DFT bases, and the filters of the trained Q are a constant.
/// </summary>
internal static class HarmonicCnnGraph
{
    public static GraphProto Clip(HarmonicCnnModel model, int clipSamples = 16_000)
    {
        var layers = OnnxLayers.ForClip("harmonic-cnn", model.state_dict(), clipSamples);
        var g = layers.Graph;

        var before = (HarmonicCnnModel.InputSamples - clipSamples) / 2;
        var placed = g.Node("Pad", "placement", [OnnxMetadata.WaveformInput,
            g.Int64s(0, 0, before, 0, 0, HarmonicCnnModel.InputSamples - clipSamples - before)]);
        var x = layers.BatchNorm(model.FrontEnd.AppendTo(layers, placed), "harmonic_norm");
        var i = 0;
        foreach (var block in model.Blocks)
            x = Block(layers, x, $"blocks.block{i++}", block);

        var pooled = g.Node("ReduceMax", "pool", [x], Ints("axes", 2, 3), Int("keepdims", 0)); // (batch, 2·width)
        var hidden = g.Node("Relu", "dense", [layers.BatchNorm(layers.Linear(pooled, "dense"), "dense_norm")]);
        return layers.ClipOutput(layers.Linear(hidden, "classifier"), model.Classes);
    }

    /// <summary><see cref="HarmonicCnnBlock"/>: (batch, Cin, F, T) → (batch, C, F div pF, T div pT).</summary>
    private static string Block(OnnxLayers layers, string x, string prefix, HarmonicCnnBlock block)
    {
        var g = layers.Graph;
        var features = g.Node("Relu", prefix, [layers.BatchNorm(layers.Conv2d(x, $"{prefix}.conv0", 1, 1), $"{prefix}.norm0")]);
        if (block.IsResidual)
        {
            var branch = layers.BatchNorm(layers.Conv2d(features, $"{prefix}.conv1", 1, 1), $"{prefix}.norm1");
            features = g.Node("Relu", prefix, [g.Node("Add", prefix, [branch, x])]);
        }
        return g.Node("MaxPool", prefix, [features], Ints("kernel_shape", [.. block.Pool]), Ints("strides", [.. block.Pool]));
    }
}
