using Onnx;
using TfCrnn.Models.Onnx;
using static TfCrnn.Models.Onnx.OnnxGraphBuilder;

namespace TfCrnn.Models.HarmonicCnn;

/// <summary>
/// HarmonicCNN's ONNX (opset 17) graphs, operator by operator from the model's eval-mode state dict
/// (<see cref="ClipModelGraphs"/>: its step is the whole clip). The clip is centred in 80,000 samples as in eval mode;
/// the STFT is a convolution with DFT bases, and the filters of the trained Q are a constant.
/// </summary>
internal static class HarmonicCnnGraph
{
    public static (GraphProto Clip, GraphProto Step) Write(HarmonicCnnModel model)
    {
        var weights = new OnnxStateDict(model.Config.Variant, model.state_dict());
        return ClipModelGraphs.Write(model.Config, (g, waveform, logits) => Network(g, weights, model, waveform, logits));
    }

    /// <summary>(batch, 1, clip samples) → logits (batch, classes).</summary>
    private static string Network(OnnxGraphBuilder g, OnnxStateDict weights, HarmonicCnnModel model, string waveform, string? logits)
    {
        var clipSamples = model.Config.ClipSamples;
        var before = (HarmonicCnnModel.InputSamples - clipSamples) / 2;
        var placed = g.Node("Pad", "placement", [waveform, g.Int64s(0, 0, before, 0, 0, HarmonicCnnModel.InputSamples - clipSamples - before)]);
        var x = weights.BatchNorm(g, model.FrontEnd.AppendTo(g, placed), "harmonic_norm");
        var i = 0;
        foreach (var block in model.Blocks)
            x = Block(g, weights, x, $"blocks.block{i++}", block);

        var pooled = g.Node("ReduceMax", "pool", [x], Ints("axes", 2, 3), Int("keepdims", 0)); // (batch, 2·width)
        var hidden = g.Node("Relu", "dense", [weights.BatchNorm(g, weights.Linear(g, pooled, "dense"), "dense_norm")]);
        return weights.Linear(g, hidden, "classifier", logits);
    }

    /// <summary><see cref="HarmonicCnnBlock"/>: (batch, Cin, F, T) → (batch, C, F div pF, T div pT).</summary>
    private static string Block(OnnxGraphBuilder g, OnnxStateDict weights, string x, string prefix, HarmonicCnnBlock block)
    {
        var features = g.Node("Relu", prefix, [weights.BatchNorm(g, weights.Conv2d(g, x, $"{prefix}.conv0", 1, 1), $"{prefix}.norm0")]);
        if (block.IsResidual)
        {
            var branch = weights.BatchNorm(g, weights.Conv2d(g, features, $"{prefix}.conv1", 1, 1), $"{prefix}.norm1");
            features = g.Node("Relu", prefix, [g.Node("Add", prefix, [branch, x])]);
        }
        return g.Node("MaxPool", prefix, [features], Ints("kernel_shape", [.. block.Pool]), Ints("strides", [.. block.Pool]));
    }
}
