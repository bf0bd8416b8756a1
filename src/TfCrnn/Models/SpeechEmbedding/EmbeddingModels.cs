using Onnx;
using TfCrnn.Data;
using static TfCrnn.Runtime.SpeechEmbedding.SpeechEmbeddingGeometry;

namespace TfCrnn.Models.SpeechEmbedding;

/// <summary>
/// A head over the frozen speech embedding (<see cref="FrontEnd.SpeechEmbedding"/>, issue 33): the module
/// (<see cref="EmbeddingHead"/>) takes the 16 embeddings of a clip, (batch, 16, 96), which training caches per clip and
/// augmented copy and inference computes on ONNX Runtime. <c>embedding-tfgru</c> keeps the paper's idea on top: the GRU's
/// previous state h(t-1) gates the 96 features of step t through a sigmoid excitation, as the TF blocks rescale their
/// channels; <c>embedding-gru</c> is the plain GRU it is measured against.
/// </summary>
internal sealed class EmbeddingModel : ModelDeclaration
{
    /// <summary>The heads' default state size (issue 27's bench: 64).</summary>
    public const int DefaultHiddenSize = 64;

    /// <summary>The heads' default dropout on the (gated) features (issue 27's bench: 0.2).</summary>
    public const double DefaultDropout = 0.2;

    internal EmbeddingModel(string name, bool feedback, long parameters)
    {
        Name = name;
        Feedback = feedback;
        Parameters = parameters;
    }

    /// <inheritdoc/>
    public override string Name { get; }

    /// <summary>Whether h(t-1) gates the features of step t (the paper's temporal feedback); false: a plain GRU.</summary>
    public bool Feedback { get; }

    /// <inheritdoc/>
    public override FrontEnd FrontEnd => FrontEnd.SpeechEmbedding;

    /// <inheritdoc/>
    public override string Trunk => Feedback
        ? "none: the 96 features of each 80-ms step, standardised, gated by h(t-1) (sigmoid excitation)"
        : "none: the 96 features of each 80-ms step, standardised";

    /// <inheritdoc/>
    public override string Head => "dropout, GRU cell (stacked with --head-layers), linear";

    /// <summary>The 35 words and a rejection class: streaming needs one.</summary>
    public override LabelTask Task => LabelTasks.CommandsAndNone;

    /// <inheritdoc/>
    public override long Parameters { get; }

    /// <inheritdoc/>
    public override bool IsRecurrent => true;

    /// <summary>A dropout before the GRU cell (<c>--head-dropout</c>); no trunk, so no width.</summary>
    internal override ModelHyperParameters HyperParameters => ModelHyperParameters.HeadDropout;

    /// <inheritdoc/>
    public override int MaxHeadLayers => 4;

    /// <inheritdoc/>
    public override double RefractorySeconds => Runtime.SpeechEmbedding.SpeechEmbeddingGeometry.RefractorySeconds;

    /// <inheritdoc/>
    internal override string FixedStep => $"does not apply to {Name}, whose step is the speech embedding's (80 ms)";

    /// <inheritdoc/>
    public override ModelConfig DefaultConfig => new()
    {
        Variant = Name,
        Width = 0,
        HiddenSize = DefaultHiddenSize,
        HeadDropout = DefaultDropout,
        Labels = Task.Classes.Labels,
    };

    /// <summary>
    /// One embedding every <see cref="StepSamples"/> (80 ms); a step's window is the samples one embedding needs from a
    /// stream's start (<see cref="SamplesForSteps"/>(1) = 13,152: ten 8-frame log-mel blocks); <see cref="ClipSteps"/> steps
    /// over a clip padded with silence (<see cref="PaddedClipSamples"/>).
    /// </summary>
    internal override StepGeometry Geometry(ModelConfig config) => new(SamplesForSteps(1), StepSamples, ClipSteps);

    internal override void Validate(ModelConfig config)
    {
        if (config.Width != 0)
            throw new ModelConfigException($"width {config.Width}: {Name} has no convolutional trunk (width 0)");
        if (config.ClipSamples != ClipSamples)
            throw new ModelConfigException($"clip samples {config.ClipSamples}: the speech embedding's clip is {ClipSamples}");
    }

    /// <summary>The embeddings of a clip: (batch, 16, 96).</summary>
    internal override long[] InputShape(ModelConfig config, long batch) => [batch, ClipSteps, Dimensions];

    /// <summary>One step's embedding: (batch, 96).</summary>
    internal override long[] StepInputShape(ModelConfig config, long batch) => [batch, Dimensions];

    internal override SpeechCommandModel Create(ModelConfig config) => new EmbeddingHead(config, Feedback);

    /// <summary>
    /// The head's graphs over the embeddings (<see cref="EmbeddingHeadGraphs"/>): <c>features</c> in, not samples; an
    /// export folder holds the encoder's two graphs beside them (<see cref="Interop.Onnx.OnnxExport"/>).
    /// </summary>
    internal override (GraphProto Clip, GraphProto Step) Graphs(SpeechCommandModel model)
    {
        var graphs = new EmbeddingHeadGraphs(model.Config, Feedback, model.state_dict());
        return (graphs.ClipGraph(), graphs.StepGraph());
    }

    /// <summary>The head's multiply-accumulates over a clip's 16 steps (the front end's cost: bench/results/real-speech.md).</summary>
    internal override long Macs(ModelConfig config)
    {
        long hidden = config.HiddenSize;
        var gate = Feedback ? hidden * EmbeddingHead.Bottleneck(config) + EmbeddingHead.Bottleneck(config) * Dimensions + Dimensions : 0;
        long cells = 0;
        for (var layer = 0; layer < config.HeadLayers; layer++)
            cells += 3 * ((layer == 0 ? Dimensions : hidden) * hidden + hidden * hidden);
        return ClipSteps * (gate + cells + hidden * config.Classes);
    }

    /// <summary>
    /// Not in Table I's plan. The head trains on cached embeddings: per clip, 16 steps of 96 features and the GRU's
    /// activations, a few hundred KB with autograd's copies (the process's memory is the embedding cache's, not the batch's).
    /// </summary>
    internal override double TrainingMegabytesPerClip(ModelConfig config) => 0.5;
}

/// <summary>The heads over the speech embedding, in the registry after the paper's nine.</summary>
internal static class EmbeddingModels
{
    /// <summary><c>embedding-tfgru</c> (h(t-1) gates the features) and <c>embedding-gru</c>; parameters at hidden 64, 36 classes.</summary>
    public static readonly IReadOnlyList<EmbeddingModel> All =
    [
        new("embedding-tfgru", feedback: true, 36_116),
        new("embedding-gru", feedback: false, 33_444),
    ];
}
