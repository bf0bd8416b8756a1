using Onnx;
using TfCrnn.Checkpoints;
using TfCrnn.Models;
using TfCrnn.Runtime.Onnx;
using static TfCrnn.Interop.Onnx.OnnxGraphBuilder;
using static TfCrnn.Runtime.Onnx.OnnxMetadata;
using static TorchSharp.torch;

namespace TfCrnn.Interop.Onnx;

/// <summary>
/// The inference graphs of one model, written as ONNX operators from its config and its state dict (the
/// authors' PyTorch parameter names are the contract, not the module internals: docs/reference-implementation.md, "Models"):
/// BatchNorm folded into the convolutions, dropout removed, every batch size accepted.
/// <list type="bullet">
/// <item>clip: <c>waveform</c> (batch, 1, clip samples) → <c>logits</c> (steps, batch, classes); the recurrent
/// families run their step as a Scan body over the windows, from h(0) = 0.</item>
/// <item>step: <c>window</c> (batch, 1, W) and <c>hidden</c> h(t-1) (batch, H) → <c>logits</c> (batch, classes) and
/// <c>next_hidden</c> h(t) (batch, H); the window may also be (1, 1, W), heard by every lane (broadcast where the
/// state first enters). The CNN's step is the whole clip and has no state.</item>
/// </list>
/// Inputs are scaled samples (× <see cref="OnnxMetadata.InputScale"/>), as for the TorchSharp models.
/// </summary>
internal sealed class SpeechCommandGraphs
{
    private readonly ModelConfig config;
    private readonly IReadOnlyDictionary<string, Tensor> weights;

    /// <param name="stateDict">The model's state dict (eval-mode BatchNorm statistics included).</param>
    public SpeechCommandGraphs(ModelConfig config, IReadOnlyDictionary<string, Tensor> stateDict)
    {
        this.config = config;
        weights = stateDict;
    }

    /// <summary>Samples per step window: the window of a recurrent model, the whole clip for the CNN.</summary>
    public int StepSamples => ModelArchitecture.TrunkInputSamples(config);

    public GraphProto ClipGraph()
    {
        var g = new OnnxGraphBuilder($"{config.Variant}-clip");
        g.Input(WaveformInput, BatchDimension, 1, config.ClipSamples);
        if (!config.IsRecurrent)
        {
            var logits = Linear(g, Trunk(g, WaveformInput, hidden: null), "classifier");
            g.NamedNode(LogitsOutput, "Unsqueeze", "classifier", [logits, g.Int64s(0)]);
            g.Output(LogitsOutput, 1, BatchDimension, config.Classes);
            return g.Graph;
        }

        // windows[t] = waveform[..., t·hop : t·hop + W]: a gather with a (steps, W) index table, then steps first.
        var (steps, window) = (config.Steps, config.Window);
        var indices = new long[steps * window];
        for (var t = 0; t < steps; t++)
            for (var i = 0; i < window; i++)
                indices[t * window + i] = (long)t * config.Hop + i;
        var gathered = g.Node("Gather", "windows", [WaveformInput, g.Constant("window_sample_indices", indices, steps, window)],
            Int("axis", 2));
        var windows = g.Node("Transpose", "windows", [gathered], Ints("perm", 2, 0, 1, 3)); // (steps, batch, 1, W)

        // h(0) = zeros (batch, H).
        var batch = g.Node("Slice", "h0", [g.Node("Shape", "h0", [WaveformInput]), g.Int64s(0), g.Int64s(1)]);
        var h0 = g.Node("ConstantOfShape", "h0", [g.Node("Concat", "h0", [batch, g.Int64s(config.HiddenSize)], Int("axis", 0))]);

        var body = g.Subgraph($"{config.Variant}-step");
        const string bodyHidden = "scan_hidden", bodyWindow = "scan_window";
        body.Input(bodyHidden, BatchDimension, config.HiddenSize);
        body.Input(bodyWindow, BatchDimension, 1, window);
        var (bodyLogits, bodyNext) = Step(body, bodyWindow, bodyHidden, "scan_logits", "scan_next_hidden");
        body.Output(bodyNext, BatchDimension, config.HiddenSize);
        body.Output(bodyLogits, BatchDimension, config.Classes);

        g.Node("Scan", "steps", [h0, windows], ["final_hidden", LogitsOutput],
            GraphAttribute("body", body.Graph), Int("num_scan_inputs", 1));
        g.Output(LogitsOutput, steps, BatchDimension, config.Classes);
        return g.Graph;
    }

    public GraphProto StepGraph()
    {
        var g = new OnnxGraphBuilder($"{config.Variant}-step");
        if (!config.IsRecurrent)
        {
            g.Input(WindowInput, BatchDimension, 1, StepSamples);
            Linear(g, Trunk(g, WindowInput, hidden: null), "classifier", LogitsOutput);
            g.Output(LogitsOutput, BatchDimension, config.Classes);
            return g.Graph;
        }
        g.Input(WindowInput, WindowBatchDimension, 1, StepSamples);
        g.Input(HiddenInput, BatchDimension, config.HiddenSize);
        Step(g, WindowInput, HiddenInput, LogitsOutput, NextHiddenOutput);
        g.Output(LogitsOutput, BatchDimension, config.Classes);
        g.Output(NextHiddenOutput, BatchDimension, config.HiddenSize);
        return g.Graph;
    }

    /// <summary>One recurrent step (<see cref="Crnn.Step(Tensor, Tensor)"/>): trunk fed h(t-1), GRU cell, classifier of h(t).</summary>
    private (string Logits, string NextHidden) Step(OnnxGraphBuilder g, string window, string hidden, string logitsName,
        string nextHiddenName)
    {
        var next = GruCell(g, Trunk(g, window, hidden), hidden, nextHiddenName);
        return (Linear(g, next, "classifier", logitsName), next);
    }

    /// <summary>Stem and blocks, then the max over time: (batch, 1, L) → (batch, C).</summary>
    private string Trunk(OnnxGraphBuilder g, string input, string? hidden)
    {
        var x = g.Node("Relu", "init_block", [Conv(g, input, "init_block.conv0", "init_block.norm0", stride: ModelArchitecture.Kernel)]);
        var inChannels = config.Width;
        foreach (var (channels, i) in ModelArchitecture.BlockChannels(config).Select((c, i) => (c, i)))
        {
            x = Block(g, $"blocks.block{i}", x, hidden, inChannels != channels);
            inChannels = channels;
        }
        return g.Node("ReduceMax", "pool", [x], Ints("axes", 2), Int("keepdims", 0));
    }

    /// <summary>One block (docs/reference-implementation.md, "Blocks"): (batch, Cin, L) → (batch, C, floor(L / 3)).</summary>
    private string Block(OnnxGraphBuilder g, string prefix, string x, string? hidden, bool projectsShortcut)
    {
        var temporalFeedback = config.Family == ModelFamily.TfCrnn;
        if (config.Block == BlockKind.Basic && !temporalFeedback)
            return BasicTrunk(g, prefix, x);

        string features;
        if (config.Block == BlockKind.ResidualSqueezeExcitation)
        {
            var shortcut = projectsShortcut ? Conv(g, x, $"{prefix}.identity.conv", $"{prefix}.identity.norm") : x;
            var branch = g.Node("Relu", $"{prefix}.residual", [Conv(g, x, $"{prefix}.residual.conv0", $"{prefix}.residual.norm0")]);
            branch = Conv(g, branch, $"{prefix}.residual.conv1", $"{prefix}.residual.norm1");
            var sum = g.Node("Relu", prefix, [g.Node("Add", prefix, [branch, shortcut])]);
            features = g.Node("MaxPool", prefix, [sum], Ints("kernel_shape", 3), Ints("strides", 3));
        }
        else
        {
            features = BasicTrunk(g, $"{prefix}.base_block", x);
        }

        var excitationInput = (temporalFeedback, config.Block) switch
        {
            (true, BlockKind.Basic) => hidden!,
            (true, _) => g.Node("Concat", prefix, [ToLanesOf(g, prefix, Squeeze(g, prefix, features), hidden!), hidden!], Int("axis", 1)),
            _ => Squeeze(g, prefix, features),
        };
        var excitation = $"{prefix}.{(temporalFeedback ? "excitation" : "se")}";
        var scales = g.Node("Sigmoid", excitation, [Linear(g, g.Node("Relu", excitation, [Linear(g, excitationInput, $"{excitation}.linear0")]),
            $"{excitation}.linear1")]);
        return g.Node("Mul", prefix, [features, g.Node("Unsqueeze", prefix, [scales, g.Int64s(2)])]);
    }

    /// <summary>maxpool3(ReLU(BN(conv3(x)))).</summary>
    private string BasicTrunk(OnnxGraphBuilder g, string prefix, string x) =>
        g.Node("MaxPool", prefix, [g.Node("Relu", prefix, [Conv(g, x, $"{prefix}.conv", $"{prefix}.norm")])],
            Ints("kernel_shape", 3), Ints("strides", 3));

    /// <summary>(1 or batch, C) → (batch, C), batch taken from <paramref name="hidden"/>: a shared window's features for every lane.</summary>
    private static string ToLanesOf(OnnxGraphBuilder g, string prefix, string x, string hidden)
    {
        var lanes = g.Node("Slice", prefix, [g.Node("Shape", prefix, [hidden]), g.Int64s(0), g.Int64s(1)]);
        return g.Node("Expand", prefix, [x, g.Node("Concat", prefix, [lanes, g.Int64s(1)], Int("axis", 0))]);
    }

    private static string Squeeze(OnnxGraphBuilder g, string prefix, string features) =>
        g.Node("ReduceMean", prefix, [features], Ints("axes", 2), Int("keepdims", 0));

    /// <summary>BN(conv(x)) as one convolution with the BatchNorm folded in; kernel from the weight, padding "same".</summary>
    private string Conv(OnnxGraphBuilder g, string x, string convKey, string normKey, int stride = 1)
    {
        using var scope = NewDisposeScope();
        var (weight, bias) = BatchNormFolding.Fold(Weight($"{convKey}.weight"), Weight($"{convKey}.bias"),
            Weight($"{normKey}.weight"), Weight($"{normKey}.bias"), Weight($"{normKey}.running_mean"), Weight($"{normKey}.running_var"));
        var kernel = weight.shape[2];
        return g.Node("Conv", convKey, [x, Constant(g, $"{convKey}.weight", weight), Constant(g, $"{convKey}.bias", bias)],
            Ints("kernel_shape", kernel), Ints("strides", stride), Ints("pads", kernel / 2, kernel / 2));
    }

    /// <summary>x Wᵀ + b (PyTorch's Linear), (batch, in) → (batch, out); the output is named when a graph output.</summary>
    private string Linear(OnnxGraphBuilder g, string x, string key, string? output = null) =>
        Gemm(g, x, key, $"{key}.weight", $"{key}.bias", output);

    private string Gemm(OnnxGraphBuilder g, string x, string scope, string weightKey, string biasKey, string? output = null) =>
        g.Node("Gemm", scope, [x, Constant(g, weightKey, Weight(weightKey)), Constant(g, biasKey, Weight(biasKey))], [output],
            Int("transB", 1))[0];

    /// <summary>
    /// PyTorch's GRUCell (gate order r, z, n): r = σ(W_ir x + b_ir + W_hr h + b_hr), z likewise,
    /// n = tanh(W_in x + b_in + r · (W_hn h + b_hn)), h' = (1 − z) · n + z · h = n + z · (h − n).
    /// </summary>
    private string GruCell(OnnxGraphBuilder g, string x, string h, string nextHiddenName)
    {
        const string scope = "cell";
        var input = Gemm(g, x, scope, "cell.weight_ih", "cell.bias_ih");
        var recurrent = Gemm(g, h, scope, "cell.weight_hh", "cell.bias_hh");
        var (ir, iz, inew) = Split3(g.Node("Split", scope, [input], [null, null, null], Int("axis", 1)));
        var (hr, hz, hnew) = Split3(g.Node("Split", scope, [recurrent], [null, null, null], Int("axis", 1)));
        var r = g.Node("Sigmoid", scope, [g.Node("Add", scope, [ir, hr])]);
        var z = g.Node("Sigmoid", scope, [g.Node("Add", scope, [iz, hz])]);
        var n = g.Node("Tanh", scope, [g.Node("Add", scope, [inew, g.Node("Mul", scope, [r, hnew])])]);
        var update = g.Node("Mul", scope, [z, g.Node("Sub", scope, [h, n])]);
        return g.NamedNode(nextHiddenName, "Add", scope, [n, update]);

        static (string, string, string) Split3(string[] parts) => (parts[0], parts[1], parts[2]);
    }

    private Tensor Weight(string key) => weights.TryGetValue(key, out var tensor)
        ? tensor
        : throw new CheckpointException($"the {config.Variant} state dict has no '{key}'");

    private static string Constant(OnnxGraphBuilder g, string name, Tensor tensor)
    {
        var values = tensor.to(float32).contiguous().data<float>().ToArray();
        return g.Constant(name, values, tensor.shape);
    }
}
