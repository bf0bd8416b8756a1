using Onnx;
using TfCrnn.Models.Onnx;
using static TfCrnn.Models.Onnx.OnnxGraphBuilder;

namespace TfCrnn.Models.AttnCrnn;

/// <summary>
/// AttnCRNN's ONNX (opset 17) graphs, operator by operator from the model's eval-mode state dict
/// (<see cref="ClipModelGraphs"/>: its step is the whole clip). The STFT is a convolution with DFT bases, the LSTMs
/// are ONNX's LSTM.
/// </summary>
internal static class AttnCrnnGraph
{
    public static (GraphProto Clip, GraphProto Step) Write(AttnCrnnModel model)
    {
        var weights = new OnnxStateDict(model.Config.Variant, model.state_dict());
        return ClipModelGraphs.Write(model.Config, (g, waveform, logits) => Network(g, weights, model, waveform, logits));
    }

    /// <summary>(batch, 1, clip samples) → logits (batch, classes).</summary>
    private static string Network(OnnxGraphBuilder g, OnnxStateDict weights, AttnCrnnModel model, string waveform, string? logits)
    {
        var mel = model.FrontEnd.AppendTo(g, waveform, model.Config.ClipSamples); // (batch, mels, frames)
        var melByFrame = g.Node("Transpose", "conv0", [mel], Ints("perm", 0, 2, 1));
        var image = g.Node("Unsqueeze", "conv0", [melByFrame, g.Int64s(1)]); // (batch, 1, frames, mels)
        var padding = AttnCrnnModel.ConvFrames / 2;
        var x = weights.BatchNorm(g, g.Node("Relu", "conv0", [weights.Conv2d(g, image, "conv0", padding, 0)]), "norm0");
        x = weights.BatchNorm(g, g.Node("Relu", "conv1", [weights.Conv2d(g, x, "conv1", padding, 0)]), "norm1");
        var frames = g.Node("Squeeze", "norm1", [x, g.Int64s(1)]); // (batch, frames, mels)

        var sequence = g.Node("Transpose", "lstm", [frames], Ints("perm", 1, 0, 2)); // (frames, batch, mels)
        sequence = weights.BidirectionalLstm(g, sequence, "lstm", 0, AttnCrnnModel.LstmUnits);
        sequence = weights.BidirectionalLstm(g, sequence, "lstm", 1, AttnCrnnModel.LstmUnits); // (frames, batch, 128)

        // Attention: the last frame's projection scores every frame; the softmax over time weighs them.
        var last = g.Node("Gather", "query", [sequence, g.Constant("last_frame", new long[] { -1 })], Int("axis", 0)); // a scalar index: (batch, 128)
        var query = weights.Linear(g, last, "query");
        var scores = g.Node("ReduceSum", "attention", [g.Node("Mul", "attention", [sequence, query]), g.Int64s(2)], Int("keepdims", 0));
        var attention = g.Node("Softmax", "attention", [scores], Int("axis", 0)); // (frames, batch)
        var weighted = g.Node("Mul", "attention", [sequence, g.Node("Unsqueeze", "attention", [attention, g.Int64s(2)])]);
        var attended = g.Node("ReduceSum", "attention", [weighted, g.Int64s(0)], Int("keepdims", 0)); // (batch, 128)

        var hidden = weights.Linear(g, g.Node("Relu", "dense0", [weights.Linear(g, attended, "dense0")]), "dense1");
        return weights.Linear(g, hidden, "classifier", logits);
    }
}
