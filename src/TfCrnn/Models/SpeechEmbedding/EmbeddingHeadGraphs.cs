using Onnx;
using TfCrnn.Models.Onnx;
using static TfCrnn.Models.Onnx.OnnxGraphBuilder;
using static TfCrnn.Runtime.Onnx.OnnxMetadata;
using static TorchSharp.torch;

namespace TfCrnn.Models.SpeechEmbedding;

/// <summary>
/// The inference graphs of a head over the speech embedding (<see cref="EmbeddingHead"/>), written as ONNX operators
/// from its config and state dict: the standardisation inside, dropout removed, every batch size accepted. The speech
/// embedding is not in them: it runs before them, in C# and on the encoder's own graph
/// (<see cref="Runtime.SpeechEmbedding.SpeechEmbeddingStepModel"/>), and an export folder holds the encoder's files
/// beside them.
/// <list type="bullet">
/// <item>clip: <c>features</c> (batch, steps, 96) → <c>logits</c> (steps, batch, classes), the step as a Scan body
/// from h(0) = 0;</item>
/// <item>step: <c>features</c> (window_batch, 96) and <c>hidden</c> h(t-1) (batch, layers × H) → <c>logits</c> (batch,
/// classes) and <c>next_hidden</c> h(t); one row of features may be heard by every lane (broadcast where the state
/// first meets it).</item>
/// </list>
/// </summary>
/// <param name="feedback">Whether h(t-1) of the top cell gates the features (<c>embedding-tfgru</c>).</param>
/// <param name="stateDict">The head's state dict (its standardisation buffers included).</param>
internal sealed class EmbeddingHeadGraphs(ModelConfig config, bool feedback, IReadOnlyDictionary<string, Tensor> stateDict)
{
    private const int Features = Runtime.SpeechEmbedding.SpeechEmbeddingGeometry.Dimensions;

    private readonly OnnxStateDict weights = new(config.Variant, stateDict);

    public GraphProto ClipGraph()
    {
        var steps = config.Geometry.StepsPerClip;
        var g = new OnnxGraphBuilder($"{config.Variant}-clip");
        g.Input(FeaturesInput, BatchDimension, steps, Features);
        var sequence = g.Node("Transpose", "steps", [FeaturesInput], Ints("perm", 1, 0, 2)); // (steps, batch, 96)

        // h(0) = zeros (batch, state).
        var batch = g.Node("Slice", "h0", [g.Node("Shape", "h0", [FeaturesInput]), g.Int64s(0), g.Int64s(1)]);
        var h0 = g.Node("ConstantOfShape", "h0", [g.Node("Concat", "h0", [batch, g.Int64s(config.StateSize)], Int("axis", 0))]);

        var body = g.Subgraph($"{config.Variant}-step");
        const string bodyHidden = "scan_hidden", bodyFeatures = "scan_features";
        body.Input(bodyHidden, BatchDimension, config.StateSize);
        body.Input(bodyFeatures, BatchDimension, Features);
        var (bodyLogits, bodyNext) = Step(body, bodyFeatures, bodyHidden, "scan_logits", "scan_next_hidden");
        body.Output(bodyNext, BatchDimension, config.StateSize);
        body.Output(bodyLogits, BatchDimension, config.Classes);

        g.Node("Scan", "steps", [h0, sequence], ["final_hidden", LogitsOutput], GraphAttribute("body", body.Graph), Int("num_scan_inputs", 1));
        g.Output(LogitsOutput, steps, BatchDimension, config.Classes);
        return g.Graph;
    }

    public GraphProto StepGraph()
    {
        var g = new OnnxGraphBuilder($"{config.Variant}-step");
        g.Input(FeaturesInput, WindowBatchDimension, Features);
        g.Input(HiddenInput, BatchDimension, config.StateSize);
        Step(g, FeaturesInput, HiddenInput, LogitsOutput, NextHiddenOutput);
        g.Output(LogitsOutput, BatchDimension, config.Classes);
        g.Output(NextHiddenOutput, BatchDimension, config.StateSize);
        return g.Graph;
    }

    /// <summary>
    /// <see cref="EmbeddingHead.Step(Tensor, Tensor)"/> in eval mode: standardise; with feedback, gate by the top cell's h(t-1); the
    /// stacked GRU cells, each on the one below's h(t); classify the top cell's h(t).
    /// </summary>
    private (string Logits, string NextHidden) Step(OnnxGraphBuilder g, string features, string hidden, string logitsName, string nextHiddenName)
    {
        var layers = config.HeadLayers;
        var size = config.HiddenSize;
        var previous = layers == 1
            ? new[] { hidden }
            : g.Node("Split", "state", [hidden, g.Int64s([.. Enumerable.Repeat((long)size, layers)])], [.. Enumerable.Repeat<string?>(null, layers)], Int("axis", 1));
        var centred = g.Node("Sub", "standardise", [features, g.Constant("mean", weights.Weight("mean"))]);
        var x = g.Node("Div", "standardise", [centred, g.Constant("deviation", weights.Weight("deviation"))]);
        if (feedback)
        {
            var bottleneck = g.Node("Relu", "gate", [weights.Linear(g, previous[^1], "gate.linear0")]);
            var scales = g.Node("Sigmoid", "gate", [weights.Linear(g, bottleneck, "gate.linear1")]);
            x = g.Node("Mul", "gate", [x, scales]);
        }
        var states = new string[layers];
        for (var layer = 0; layer < layers; layer++)
        {
            states[layer] = weights.GruCell(g, $"cells.{layer}", x, previous[layer], layers == 1 ? nextHiddenName : $"cells.{layer}.next_hidden");
            x = states[layer];
        }
        var next = layers == 1 ? states[0] : g.NamedNode(nextHiddenName, "Concat", "state", states, Int("axis", 1));
        return (weights.Linear(g, x, "classifier", logitsName), next);
    }
}
