using Onnx;
using TfCrnn.Interop.Onnx;
using TfCrnn.Runtime.Onnx;
using static TfCrnn.Interop.Onnx.OnnxGraphBuilder;

namespace TfCrnn.Models.AttnCrnn;

/// <summary>
/// AttnCRNN's clip graph as ONNX (opset 17) operators, from the model's eval-mode state dict:
/// <c>waveform</c> (batch, 1, clip samples) scaled → <c>logits</c> (1, batch, classes), the clip contract of
/// <see cref="OnnxMetadata"/> with one step. The STFT is a convolution with DFT bases, the LSTMs are ONNX's LSTM.
/// </summary>
internal static class AttnCrnnGraph
{
    public static GraphProto Clip(AttnCrnnModel model, int clipSamples = 16_000)
    {
        var layers = OnnxLayers.ForClip("attn-crnn", model.state_dict(), clipSamples);
        var g = layers.Graph;

        var mel = model.FrontEnd.AppendTo(layers, OnnxMetadata.WaveformInput, clipSamples); // (batch, mels, frames)
        var melByFrame = g.Node("Transpose", "conv0", [mel], Ints("perm", 0, 2, 1));
        var image = g.Node("Unsqueeze", "conv0", [melByFrame, g.Int64s(1)]); // (batch, 1, frames, mels)
        var padding = AttnCrnnModel.ConvFrames / 2;
        var x = layers.BatchNorm(g.Node("Relu", "conv0", [layers.Conv2d(image, "conv0", padding, 0)]), "norm0");
        x = layers.BatchNorm(g.Node("Relu", "conv1", [layers.Conv2d(x, "conv1", padding, 0)]), "norm1");
        var frames = g.Node("Squeeze", "norm1", [x, g.Int64s(1)]); // (batch, frames, mels)

        var sequence = g.Node("Transpose", "lstm", [frames], Ints("perm", 1, 0, 2)); // (frames, batch, mels)
        sequence = layers.BidirectionalLstm(sequence, "lstm", 0, AttnCrnnModel.LstmUnits);
        sequence = layers.BidirectionalLstm(sequence, "lstm", 1, AttnCrnnModel.LstmUnits); // (frames, batch, 128)

        // Attention: the last frame's projection scores every frame; the softmax over time weighs them.
        var last = g.Node("Gather", "query", [sequence, g.Constant("last_frame", new long[] { -1 })], Int("axis", 0)); // a scalar index: (batch, 128)
        var query = layers.Linear(last, "query");
        var scores = g.Node("ReduceSum", "attention", [g.Node("Mul", "attention", [sequence, query]), g.Int64s(2)], Int("keepdims", 0));
        var weights = g.Node("Softmax", "attention", [scores], Int("axis", 0)); // (frames, batch)
        var weighted = g.Node("Mul", "attention", [sequence, g.Node("Unsqueeze", "attention", [weights, g.Int64s(2)])]);
        var attended = g.Node("ReduceSum", "attention", [weighted, g.Int64s(0)], Int("keepdims", 0)); // (batch, 128)

        var hidden = layers.Linear(g.Node("Relu", "dense0", [layers.Linear(attended, "dense0")]), "dense1");
        return layers.ClipOutput(layers.Linear(hidden, "classifier"), model.Classes);
    }
}
