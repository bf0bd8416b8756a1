using Onnx;
using TfCrnn.Models.Layers;
using TfCrnn.Models.Onnx;
using TfCrnn.Runtime.Onnx;
using static TfCrnn.Models.Onnx.OnnxGraphBuilder;
using static TfCrnn.Runtime.Onnx.OnnxMetadata;
using static TorchSharp.torch;

namespace TfCrnn.Models.Paper;

/// <summary>
/// The inference graphs of one of the paper's nine (<see cref="ModelDeclaration.Graphs"/>), written as ONNX operators from its config and its state dict (the
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
internal sealed class PaperGraphs
{
    private readonly PaperModel model;
    private readonly ModelConfig config;
    private readonly OnnxStateDict weights;

    /// <param name="stateDict">The model's state dict (eval-mode BatchNorm statistics included).</param>
    public PaperGraphs(PaperModel model, ModelConfig config, IReadOnlyDictionary<string, Tensor> stateDict)
    {
        this.model = model;
        this.config = config;
        weights = new OnnxStateDict(config.Variant, stateDict);
    }

    /// <summary>The clip graph and the step graph.</summary>
    public (GraphProto Clip, GraphProto Step) Graphs() => config.IsRecurrent
        ? (ClipGraph(), StepGraph())
        : ClipModelGraphs.Write(config, (g, input, logits) => weights.Linear(g, Trunk(g, input, hidden: null), "classifier", logits));

    private GraphProto ClipGraph()
    {
        var g = new OnnxGraphBuilder($"{config.Variant}-clip");
        g.Input(WaveformInput, BatchDimension, 1, config.ClipSamples);
        // windows[t] = waveform[..., t·hop : t·hop + W]: a gather with a (steps, W) index table, then steps first.
        var geometry = config.Geometry;
        var (steps, window) = (geometry.StepsPerClip, geometry.Window);
        var indices = new long[steps * window];
        for (var t = 0; t < steps; t++)
            for (var i = 0; i < window; i++)
                indices[t * window + i] = (long)t * geometry.Hop + i;
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

    private GraphProto StepGraph()
    {
        var g = new OnnxGraphBuilder($"{config.Variant}-step");
        g.Input(WindowInput, WindowBatchDimension, 1, config.Geometry.Window);
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
        var next = weights.GruCell(g, "cell", Trunk(g, window, hidden), hidden, nextHiddenName);
        return (weights.Linear(g, next, "classifier", logitsName), next);
    }

    /// <summary>Stem and blocks, then the max over time: (batch, 1, L) → (batch, C).</summary>
    private string Trunk(OnnxGraphBuilder g, string input, string? hidden)
    {
        var x = g.Node("Relu", "init_block", [weights.FoldedConv(g, input, "init_block.conv0", "init_block.norm0", stride: ModelArchitecture.Kernel)]);
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
        var temporalFeedback = model.Family == ModelFamily.TfCrnn;
        if (model.Block == BlockKind.Basic && !temporalFeedback)
            return BasicTrunk(g, prefix, x);

        string features;
        if (model.Block == BlockKind.ResidualSqueezeExcitation)
        {
            var shortcut = projectsShortcut ? weights.FoldedConv(g, x, $"{prefix}.identity.conv", $"{prefix}.identity.norm") : x;
            var branch = g.Node("Relu", $"{prefix}.residual", [weights.FoldedConv(g, x, $"{prefix}.residual.conv0", $"{prefix}.residual.norm0")]);
            branch = weights.FoldedConv(g, branch, $"{prefix}.residual.conv1", $"{prefix}.residual.norm1");
            var sum = g.Node("Relu", prefix, [g.Node("Add", prefix, [branch, shortcut])]);
            features = g.Node("MaxPool", prefix, [sum], Ints("kernel_shape", 3), Ints("strides", 3));
        }
        else
        {
            features = BasicTrunk(g, $"{prefix}.base_block", x);
        }

        var excitationInput = (temporalFeedback, model.Block) switch
        {
            (true, BlockKind.Basic) => hidden!,
            (true, _) => g.Node("Concat", prefix, [ToLanesOf(g, prefix, Squeeze(g, prefix, features), hidden!), hidden!], Int("axis", 1)),
            _ => Squeeze(g, prefix, features),
        };
        var excitation = $"{prefix}.{(temporalFeedback ? "excitation" : "se")}";
        var scales = g.Node("Sigmoid", excitation, [weights.Linear(g, g.Node("Relu", excitation, [weights.Linear(g, excitationInput, $"{excitation}.linear0")]),
            $"{excitation}.linear1")]);
        return g.Node("Mul", prefix, [features, g.Node("Unsqueeze", prefix, [scales, g.Int64s(2)])]);
    }

    /// <summary>maxpool3(ReLU(BN(conv3(x)))).</summary>
    private string BasicTrunk(OnnxGraphBuilder g, string prefix, string x) =>
        g.Node("MaxPool", prefix, [g.Node("Relu", prefix, [weights.FoldedConv(g, x, $"{prefix}.conv", $"{prefix}.norm")])],
            Ints("kernel_shape", 3), Ints("strides", 3));

    /// <summary>(1 or batch, C) → (batch, C), batch taken from <paramref name="hidden"/>: a shared window's features for every lane.</summary>
    private static string ToLanesOf(OnnxGraphBuilder g, string prefix, string x, string hidden)
    {
        var lanes = g.Node("Slice", prefix, [g.Node("Shape", prefix, [hidden]), g.Int64s(0), g.Int64s(1)]);
        return g.Node("Expand", prefix, [x, g.Node("Concat", prefix, [lanes, g.Int64s(1)], Int("axis", 0))]);
    }

    private static string Squeeze(OnnxGraphBuilder g, string prefix, string features) =>
        g.Node("ReduceMean", prefix, [features], Ints("axes", 2), Int("keepdims", 0));

}
