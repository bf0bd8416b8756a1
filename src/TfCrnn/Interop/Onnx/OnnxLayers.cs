using Onnx;
using TfCrnn.Checkpoints;
using TfCrnn.Runtime.Onnx;
using static TfCrnn.Interop.Onnx.OnnxGraphBuilder;
using static TorchSharp.torch;

namespace TfCrnn.Interop.Onnx;

/// <summary>
/// PyTorch layers as ONNX (opset 17) nodes, their weights read from a state dict by the layer's key, for graphs written
/// operator by operator (the baselines' clip graphs). Eval mode: BatchNorm uses its running statistics.
/// </summary>
internal sealed class OnnxLayers(OnnxGraphBuilder graph, IReadOnlyDictionary<string, Tensor> stateDict, string model)
{
    public OnnxGraphBuilder Graph => graph;

    /// <summary>
    /// Layers for <paramref name="model"/>'s clip graph, whose input <c>waveform</c> (batch, 1,
    /// <paramref name="clipSamples"/>) is declared (<see cref="OnnxMetadata"/>'s clip contract).
    /// </summary>
    public static OnnxLayers ForClip(string model, IReadOnlyDictionary<string, Tensor> stateDict, int clipSamples)
    {
        var graph = new OnnxGraphBuilder($"{model}-clip");
        graph.Input(OnnxMetadata.WaveformInput, OnnxMetadata.BatchDimension, 1, clipSamples);
        return new OnnxLayers(graph, stateDict, model);
    }

    /// <summary>
    /// Ends a clip graph: <paramref name="logits"/> (batch, classes) become its output <c>logits</c> (1, batch, classes),
    /// the clip contract's one step.
    /// </summary>
    public GraphProto ClipOutput(string logits, int classes)
    {
        graph.NamedNode(OnnxMetadata.LogitsOutput, "Unsqueeze", "classifier", [logits, graph.Int64s(0)]);
        graph.Output(OnnxMetadata.LogitsOutput, 1, OnnxMetadata.BatchDimension, classes);
        return graph.Graph;
    }

    /// <summary>The state dict's tensor <paramref name="key"/>, or a <see cref="CheckpointException"/> naming it.</summary>
    public Tensor Weight(string key) => stateDict.TryGetValue(key, out var tensor)
        ? tensor
        : throw new CheckpointException($"the {model} state dict has no '{key}'");

    /// <summary>The state dict's tensor <paramref name="key"/> as a graph constant of the same name.</summary>
    public string Constant(string key) => graph.Constant(key, Weight(key));

    /// <summary>PyTorch's Linear, x Wᵀ + b: (batch, in) → (batch, out).</summary>
    public string Linear(string x, string key) =>
        graph.Node("Gemm", key, [x, Constant($"{key}.weight"), Constant($"{key}.bias")], Int("transB", 1));

    /// <summary>PyTorch's Conv2d, stride 1, zero-padded by <paramref name="padHeight"/> and <paramref name="padWidth"/> on each side.</summary>
    public string Conv2d(string x, string key, int padHeight, int padWidth)
    {
        var weight = Weight($"{key}.weight");
        return graph.Node("Conv", key, [x, Constant($"{key}.weight"), Constant($"{key}.bias")],
            Ints("kernel_shape", weight.shape[2], weight.shape[3]), Ints("pads", padHeight, padWidth, padHeight, padWidth));
    }

    /// <summary>Eval-mode BatchNorm over dimension 1 (any rank ≥ 2), PyTorch's epsilon 1e-5.</summary>
    public string BatchNorm(string x, string key) =>
        graph.Node("BatchNormalization", key,
            [x, Constant($"{key}.weight"), Constant($"{key}.bias"), Constant($"{key}.running_mean"), Constant($"{key}.running_var")],
            Float("epsilon", (float)Models.Blocks.BatchNorm.Epsilon));

    /// <summary>
    /// Layer <paramref name="layer"/> of PyTorch's bidirectional LSTM <paramref name="key"/> as ONNX's LSTM:
    /// (time, batch, in) → (time, batch, 2 · hidden), forward then backward features as PyTorch concatenates them. ONNX
    /// orders the gates i, o, f, c where PyTorch has i, f, g, o, and takes both bias vectors in one input.
    /// </summary>
    public string BidirectionalLstm(string x, string key, int layer, int hidden)
    {
        using var scope = NewDisposeScope();
        var directions = new[] { $"l{layer}", $"l{layer}_reverse" };
        Tensor Stacked(string tensor) => stack(directions.Select(d => ToOnnxGates(Weight($"{key}.{tensor}_{d}"))));
        var w = graph.Constant($"{key}.W_l{layer}", Stacked("weight_ih"));
        var r = graph.Constant($"{key}.R_l{layer}", Stacked("weight_hh"));
        var b = graph.Constant($"{key}.B_l{layer}", cat([Stacked("bias_ih"), Stacked("bias_hh")], 1));
        var scopeName = $"{key}.l{layer}";
        var y = graph.Node("LSTM", scopeName, [x, w, r, b], Int("hidden_size", hidden), String("direction", "bidirectional"));
        // Y: (time, directions, batch, hidden) → (time, batch, directions · hidden).
        var byBatch = graph.Node("Transpose", scopeName, [y], Ints("perm", 0, 2, 1, 3));
        return graph.Node("Reshape", scopeName, [byBatch, graph.Int64s(0, 0, 2 * hidden)]);

        static Tensor ToOnnxGates(Tensor pytorch)
        {
            var gates = pytorch.chunk(4, 0); // i, f, g, o
            return cat([gates[0], gates[3], gates[1], gates[2]], 0);
        }
    }

    /// <summary>
    /// The power spectrum |Σₙ w[n] x[t·hop + n] e^(−2πikn/N)|², N = <paramref name="window"/>'s length, as one
    /// convolution with the windowed cosine and sine bases (stride hop) and a sum of squares: (batch, 1, samples) →
    /// (batch, N / 2 + 1, frames), frames from the first sample, no padding. Not ONNX's STFT: the ONNX checker of
    /// Debian 12 (onnx 1.12) infers its one-sided output with N bins, not N / 2 + 1, and rejects the graph.
    /// </summary>
    public string PowerSpectrum(string x, string scope, float[] window, int hop)
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
        var parts = graph.Node("Conv", scope, [x, graph.Constant($"{scope}.dft_bases", bases, 2 * bins, 1, size)],
            Ints("kernel_shape", size), Ints("strides", hop));
        var squared = graph.Node("Mul", scope, [parts, parts]);
        var (real, imaginary) = (graph.Node("Slice", scope, [squared, graph.Int64s(0), graph.Int64s(bins), graph.Int64s(1)]),
            graph.Node("Slice", scope, [squared, graph.Int64s(bins), graph.Int64s(2 * bins), graph.Int64s(1)]));
        return graph.Node("Add", scope, [real, imaginary]);
    }
}
