using Onnx;
using TfCrnn.Models.Layers;
using static TfCrnn.Models.Onnx.OnnxGraphBuilder;
using static TorchSharp.torch;

namespace TfCrnn.Models.Onnx;

/// <summary>
/// ONNX operators for PyTorch layers, written from a module's state dict by its parameter names (the names are the
/// contract, not the module's internals), for any model's graph writer: linear layers, convolutions (with their
/// BatchNorm folded in, or not), BatchNorm, GRU cells, bidirectional LSTMs.
/// </summary>
/// <param name="model">Names the model in errors.</param>
/// <param name="stateDict">The module's state dict (eval-mode BatchNorm statistics included).</param>
internal sealed class OnnxStateDict(string model, IReadOnlyDictionary<string, Tensor> stateDict)
{
    /// <summary>BN(conv(x)) as one convolution with the BatchNorm folded in; kernel from the weight, padding "same".</summary>
    public string FoldedConv(OnnxGraphBuilder g, string x, string convKey, string normKey, int stride = 1)
    {
        using var scope = NewDisposeScope();
        var (weight, bias) = BatchNormFolding.Fold(Weight($"{convKey}.weight"), Weight($"{convKey}.bias"),
            Weight($"{normKey}.weight"), Weight($"{normKey}.bias"), Weight($"{normKey}.running_mean"), Weight($"{normKey}.running_var"));
        var kernel = weight.shape[2];
        return g.Node("Conv", convKey, [x, g.Constant($"{convKey}.weight", weight), g.Constant($"{convKey}.bias", bias)],
            Ints("kernel_shape", kernel), Ints("strides", stride), Ints("pads", kernel / 2, kernel / 2));
    }

    /// <summary>x Wᵀ + b (PyTorch's Linear), (batch, in) → (batch, out); the output is named when a graph output.</summary>
    public string Linear(OnnxGraphBuilder g, string x, string key, string? output = null) =>
        Gemm(g, x, key, $"{key}.weight", $"{key}.bias", output);

    public string Gemm(OnnxGraphBuilder g, string x, string scope, string weightKey, string biasKey, string? output = null) =>
        g.Node("Gemm", scope, [x, Constant(g, weightKey), Constant(g, biasKey)], [output],
            Int("transB", 1))[0];

    /// <summary>
    /// PyTorch's GRUCell (gate order r, z, n): r = σ(W_ir x + b_ir + W_hr h + b_hr), z likewise,
    /// n = tanh(W_in x + b_in + r · (W_hn h + b_hn)), h' = (1 − z) · n + z · h = n + z · (h − n).
    /// </summary>
    /// <param name="scope">The cell's state-dict prefix: its weights are <c>{scope}.weight_ih</c>, ….</param>
    public string GruCell(OnnxGraphBuilder g, string scope, string x, string h, string nextHiddenName)
    {
        var input = Gemm(g, x, scope, $"{scope}.weight_ih", $"{scope}.bias_ih");
        var recurrent = Gemm(g, h, scope, $"{scope}.weight_hh", $"{scope}.bias_hh");
        var (ir, iz, inew) = Split3(g.Node("Split", scope, [input], [null, null, null], Int("axis", 1)));
        var (hr, hz, hnew) = Split3(g.Node("Split", scope, [recurrent], [null, null, null], Int("axis", 1)));
        var r = g.Node("Sigmoid", scope, [g.Node("Add", scope, [ir, hr])]);
        var z = g.Node("Sigmoid", scope, [g.Node("Add", scope, [iz, hz])]);
        var n = g.Node("Tanh", scope, [g.Node("Add", scope, [inew, g.Node("Mul", scope, [r, hnew])])]);
        var update = g.Node("Mul", scope, [z, g.Node("Sub", scope, [h, n])]);
        return g.NamedNode(nextHiddenName, "Add", scope, [n, update]);

        static (string, string, string) Split3(string[] parts) => (parts[0], parts[1], parts[2]);
    }

    /// <summary>The tensor named <paramref name="key"/>.</summary>
    /// <exception cref="InvalidOperationException">The state dict has none: the graph writer and the module disagree.</exception>
    public Tensor Weight(string key) => stateDict.TryGetValue(key, out var tensor)
        ? tensor
        : throw new InvalidOperationException($"the {model} state dict has no '{key}'");

    /// <summary>The tensor <paramref name="key"/> as a graph constant of the same name.</summary>
    public string Constant(OnnxGraphBuilder g, string key) => g.Constant(key, Weight(key));

    /// <summary>PyTorch's Conv2d, stride 1, zero-padded by <paramref name="padHeight"/> and <paramref name="padWidth"/> on each side.</summary>
    public string Conv2d(OnnxGraphBuilder g, string x, string key, int padHeight, int padWidth)
    {
        var weight = Weight($"{key}.weight");
        return g.Node("Conv", key, [x, Constant(g, $"{key}.weight"), Constant(g, $"{key}.bias")],
            Ints("kernel_shape", weight.shape[2], weight.shape[3]), Ints("pads", padHeight, padWidth, padHeight, padWidth));
    }

    /// <summary>Eval-mode BatchNorm over dimension 1 (any rank ≥ 2), PyTorch's epsilon 1e-5, not folded.</summary>
    public string BatchNorm(OnnxGraphBuilder g, string x, string key) =>
        g.Node("BatchNormalization", key,
            [x, Constant(g, $"{key}.weight"), Constant(g, $"{key}.bias"), Constant(g, $"{key}.running_mean"), Constant(g, $"{key}.running_var")],
            Float("epsilon", (float)Layers.BatchNorm.Epsilon));

    /// <summary>
    /// Layer <paramref name="layer"/> of PyTorch's bidirectional LSTM <paramref name="key"/> as ONNX's LSTM:
    /// (time, batch, in) → (time, batch, 2 · hidden), forward then backward features as PyTorch concatenates them. ONNX
    /// orders the gates i, o, f, c where PyTorch has i, f, g, o, and takes both bias vectors in one input.
    /// </summary>
    public string BidirectionalLstm(OnnxGraphBuilder g, string x, string key, int layer, int hidden)
    {
        using var scope = NewDisposeScope();
        var directions = new[] { $"l{layer}", $"l{layer}_reverse" };
        Tensor Stacked(string tensor) => stack(directions.Select(d => ToOnnxGates(Weight($"{key}.{tensor}_{d}"))));
        var w = g.Constant($"{key}.W_l{layer}", Stacked("weight_ih"));
        var r = g.Constant($"{key}.R_l{layer}", Stacked("weight_hh"));
        var b = g.Constant($"{key}.B_l{layer}", cat([Stacked("bias_ih"), Stacked("bias_hh")], 1));
        var scopeName = $"{key}.l{layer}";
        var y = g.Node("LSTM", scopeName, [x, w, r, b], Int("hidden_size", hidden), String("direction", "bidirectional"));
        // Y: (time, directions, batch, hidden) → (time, batch, directions · hidden).
        var byBatch = g.Node("Transpose", scopeName, [y], Ints("perm", 0, 2, 1, 3));
        return g.Node("Reshape", scopeName, [byBatch, g.Int64s(0, 0, 2 * hidden)]);

        static Tensor ToOnnxGates(Tensor pytorch)
        {
            var gates = pytorch.chunk(4, 0); // i, f, g, o
            return cat([gates[0], gates[3], gates[1], gates[2]], 0);
        }
    }
}
