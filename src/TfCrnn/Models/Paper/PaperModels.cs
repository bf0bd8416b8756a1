using Onnx;

namespace TfCrnn.Models.Paper;

/// <summary>CNN (SampleCNN over the whole clip), CRNN, or TF-CRNN (GRU state fed back into the blocks).</summary>
internal enum ModelFamily
{
    /// <summary>SampleCNN over the whole second.</summary>
    Cnn,

    /// <summary>A CNN per window and a GRU over the steps.</summary>
    Crnn,

    /// <summary>The CRNN with temporal feedback: h(t-1) gates every block.</summary>
    TfCrnn,
}

/// <summary>The convolutional block kind: Basic, SE (squeeze-excitation), Res-SE (residual + SE).</summary>
internal enum BlockKind
{
    /// <summary>Convolution, BatchNorm, ReLU, max-pooling.</summary>
    Basic,

    /// <summary>Basic with channel gates.</summary>
    SqueezeExcitation,

    /// <summary>A residual branch with channel gates.</summary>
    ResidualSqueezeExcitation,
}

/// <summary>
/// One of the paper's nine variants (Kim &amp; Nam, Sections II–III; docs/reference-implementation.md, "Models"): a stem and
/// a stack of <see cref="Block"/> blocks over the raw waveform, then the <see cref="Family"/>'s head. Its training module
/// is <see cref="SampleCnn"/> or <see cref="Crnn"/>, its inference form folds every BatchNorm
/// (<see cref="FoldedInferenceModel"/>), its ONNX graphs are written from the PyTorch state-dict names
/// (<see cref="PaperGraphs"/>).
/// </summary>
internal sealed class PaperModel : ModelDeclaration
{
    /// <summary>The shortest window: int(log3(27)) − 1 = 2 blocks; shorter windows give one block or none.</summary>
    public const int MinimumWindow = 27;

    internal PaperModel(string name, ModelFamily family, BlockKind block, long parameters, TableOneRow tableOne)
    {
        Name = name;
        Family = family;
        Block = block;
        Parameters = parameters;
        TableOne = tableOne;
    }

    /// <inheritdoc/>
    public override string Name { get; }

    /// <summary>CNN, CRNN or TF-CRNN.</summary>
    public ModelFamily Family { get; }

    /// <summary>Basic, SE or Res-SE (with temporal feedback in the TF-CRNN).</summary>
    public BlockKind Block { get; }

    /// <inheritdoc/>
    public override FrontEnd FrontEnd => FrontEnd.Waveform;

    /// <inheritdoc/>
    public override string Trunk => Family switch
    {
        ModelFamily.Cnn => $"stem and {TableOne.Block} blocks over the whole clip",
        ModelFamily.Crnn => $"stem and {TableOne.Block} blocks per window",
        _ => $"stem and {TableOne.Block} blocks per window, gated by h(t-1)",
    };

    /// <inheritdoc/>
    public override string Head => IsRecurrent ? "max over time, dropout, GRU cell, linear" : "max over time, dropout, linear";

    /// <inheritdoc/>
    public override long Parameters { get; }

    /// <inheritdoc/>
    public override bool IsRecurrent => Family != ModelFamily.Cnn;

    /// <inheritdoc/>
    internal override TableOneRow TableOne { get; }

    /// <inheritdoc/>
    internal override ModelHyperParameters HyperParameters =>
        ModelHyperParameters.Width | ModelHyperParameters.HeadDropout | ModelHyperParameters.ResidualDropout;

    /// <inheritdoc/>
    public override bool HasSettableStep => IsRecurrent;

    /// <inheritdoc/>
    internal override string FixedStep => $"applies to the recurrent models (crnn-*, tfcrnn-*); {Name} sees the whole clip at once";

    /// <summary>The CNN: one step over the clip, slid every <see cref="ModelConfig.Hop"/> when streaming; the recurrent
    /// families: half-overlapping windows of <see cref="ModelConfig.Window"/> samples.</summary>
    internal override StepGeometry Geometry(ModelConfig config) => IsRecurrent
        ? StepGeometry.HalfOverlapping(config.ClipSamples, config.Window)
        : StepGeometry.WholeClip(config.ClipSamples, config.Hop);

    internal override void Validate(ModelConfig config)
    {
        if (config.Width < 8 || config.Width % 8 != 0)
            throw new ModelConfigException($"width must be a positive multiple of 8, got {config.Width}");
        if (IsRecurrent && WindowProblem(config, config.Window) is { } problem)
            throw new ModelConfigException($"window {config.Window} samples: {problem}");
    }

    internal override string? WindowProblem(ModelConfig config, double window) =>
        window > config.ClipSamples ? $"longer than the {config.ClipSamples}-sample clip"
        : window < MinimumWindow ? $"shorter than {MinimumWindow} samples: the block count int(log3(window)) − 1 needs " +
                                   $"{MinimumWindow} samples for two blocks"
        : null;

    internal override SpeechCommandModel Create(ModelConfig config) =>
        IsRecurrent ? new Crnn(config) : new SampleCnn(config);

    internal override InferenceModel ForInference(SpeechCommandModel model, InferenceOptions options) =>
        new FoldedInferenceModel((BlockStackModel)model, options);

    /// <summary>The folded form runs in float32 and bfloat16.</summary>
    internal override IReadOnlyList<InferencePrecision> InferencePrecisions => [InferencePrecision.Float32, InferencePrecision.BFloat16];

    internal override (GraphProto Clip, GraphProto Step) Graphs(SpeechCommandModel model) =>
        new PaperGraphs(this, model.Config, model.state_dict()).Graphs();

    internal override long Macs(ModelConfig config) => ModelArchitecture.Macs(config);

    internal override int? Blocks(ModelConfig config) => ModelArchitecture.BlockCount(config);

    /// <summary>
    /// Peak resident memory of <c>tfcrnn train</c> (TF-Res-SE, the largest of the nine, CPU, one thread) measured with
    /// /usr/bin/time: 0.31 GB at width 8 / batch 8, 0.46 GB at 16 / 16, 1.10 GB at 32 / 32, so 0.84 MB per unit of
    /// width × batch size; the paper's 128 / 64 gives about 7 GB.
    /// </summary>
    internal override double TrainingMegabytesPerClip(ModelConfig config) => 0.84 * config.Width;

    /// <summary>The paper's declaration of <paramref name="config"/>'s model.</summary>
    /// <exception cref="ArgumentException">The model is not one of the paper's nine.</exception>
    internal static PaperModel Of(ModelConfig config) => config.Model as PaperModel
        ?? throw new ArgumentException($"{config.Variant} is not one of the paper's nine variants", nameof(config));
}

/// <summary>
/// The nine variants of Kim &amp; Nam's Table I (CNN, CRNN, TF-CRNN × Basic, SE, Res-SE), with their parameter counts at the
/// paper's width 128 and the accuracies the paper reports (mean (std) of 3 runs; docs/reference-implementation.md,
/// "Training").
/// </summary>
internal static class PaperModels
{
    private const OutputMode ManyToOne = OutputMode.ManyToOne;
    private const OutputMode ManyToMany = OutputMode.ManyToMany;

    /// <summary>In the paper's order: CNN, CRNN, TF-CRNN; Basic, SE, Res-SE.</summary>
    public static readonly IReadOnlyList<PaperModel> All =
    [
        new("cnn-basic", ModelFamily.Cnn, BlockKind.Basic, 1_203_747,
            new("CNN", "Basic", [new(ManyToOne, 94.63, 0.12)])),
        new("cnn-se", ModelFamily.Cnn, BlockKind.SqueezeExcitation, 1_345_027,
            new("CNN", "SE", [new(ManyToOne, 95.33, 0.10)])),
        new("cnn-resse", ModelFamily.Cnn, BlockKind.ResidualSqueezeExcitation, 3_187_715,
            new("CNN", "Res-SE", [new(ManyToOne, 95.93, 0.08)])),
        new("crnn-basic", ModelFamily.Crnn, BlockKind.Basic, 1_588_771,
            new("CRNN", "Basic", [new(ManyToOne, 94.86, 0.15), new(ManyToMany, 95.48, 0.21)])),
        new("crnn-se", ModelFamily.Crnn, BlockKind.SqueezeExcitation, 1_713_379,
            new("CRNN", "SE", [new(ManyToOne, 95.56, 0.12), new(ManyToMany, 95.94, 0.12)])),
        new("crnn-resse", ModelFamily.Crnn, BlockKind.ResidualSqueezeExcitation, 3_358_691,
            new("CRNN", "Res-SE", [new(ManyToOne, 95.95, 0.06), new(ManyToMany, 96.32, 0.22)])),
        new("tfcrnn-basic", ModelFamily.TfCrnn, BlockKind.Basic, 1_701_091,
            new("TF-CRNN", "TF-Basic", [new(ManyToOne, 95.44, 0.02), new(ManyToMany, 96.03, 0.12)])),
        new("tfcrnn-se", ModelFamily.TfCrnn, BlockKind.SqueezeExcitation, 1_762_531,
            new("TF-CRNN", "TF-SE", [new(ManyToOne, 95.51, 0.15), new(ManyToMany, 96.17, 0.14)])),
        new("tfcrnn-resse", ModelFamily.TfCrnn, BlockKind.ResidualSqueezeExcitation, 3_407_843,
            new("TF-CRNN", "TF-Res-SE", [new(ManyToOne, 95.89, 0.22), new(ManyToMany, 96.55, 0.11)])),
    ];
}
