using System.Text.Json.Serialization;
using TfCrnn.Data;
using TfCrnn.Data.Augmentation;
using TfCrnn.Evaluation;
using TfCrnn.Models;
using TfCrnn.Runtime;

namespace TfCrnn.Training;

/// <summary>
/// Everything a training run needs; saved in the run folder's <c>config.json</c> so that a run can be
/// repeated or resumed. Defaults are the paper's recipe (section 4 of the paper; docs/reference-implementation.md,
/// "Training") at full width.
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>Speech Commands folder or .tar.gz (anything <c>SpeechCommandsDataset.Open</c> reads).</summary>
    public required string DataPath { get; init; }

    /// <summary>One of <see cref="Models.ModelRegistry.Names"/>.</summary>
    public required string Variant { get; init; }

    /// <summary>The run folder.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Which steps the loss sees: every step (the paper's many-to-many) or the last.</summary>
    public OutputMode Io { get; init; } = OutputMode.ManyToMany;

    /// <summary>Seeds weight initialisation, dropout, data order and augmentation.</summary>
    public int Seed { get; init; }

    /// <summary>
    /// Channels of the first block (the paper's 128 when null); the others scale with it. Only models with a convolutional
    /// trunk have a width (<see cref="Models.ModelDeclaration.HasWidth"/>).
    /// </summary>
    public int? Width { get; init; }

    /// <summary>Recurrent models: milliseconds between steps, the window being twice it; null: 100 ms (<see cref="Models.ModelConfig.WithStep"/>).</summary>
    public double? StepMs { get; init; }

    /// <summary>Recurrent models: the window in milliseconds instead of twice <see cref="StepMs"/>; the step is then half of it.</summary>
    public double? WindowMs { get; init; }

    /// <summary>The paper's epoch cap.</summary>
    public const int PaperMaxEpochs = 200;

    /// <summary>
    /// Epoch cap; null = <see cref="PaperMaxEpochs"/> for a new run and the saved cap for a resumed one. Given with
    /// <see cref="Resume"/>, it replaces the saved cap: a run stopped by its cap continues up to the new one.
    /// </summary>
    public int? MaxEpochs { get; init; }

    /// <summary>The cap in force: <see cref="MaxEpochs"/> or <see cref="PaperMaxEpochs"/>.</summary>
    [JsonIgnore]
    public int EpochCap => MaxEpochs ?? PaperMaxEpochs;

    /// <summary>
    /// Minutes of wall clock this session may train (<c>--time-limit</c>); null: no limit. The session stops after the first
    /// epoch that ends past it and tests the best checkpoint so far; <see cref="Resume"/> continues the run. Like a Slurm
    /// job's time limit, it holds per session: a resumed run gets its own.
    /// </summary>
    public double? TimeLimitMinutes { get; init; }

    /// <summary>Clips per batch (the paper's 64).</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Initial learning rate of the first stage.</summary>
    public double LearningRate { get; init; } = 0.025;

    /// <summary>The paper's <c>sgd</c> (Nesterov momentum) or <c>adam</c>.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Sgd;

    /// <summary>
    /// The paper's <c>plateau</c> (the rate falls in stages when validation stops improving) or <c>cosine</c> (from
    /// <see cref="LearningRate"/> to nearly zero at the epoch cap).
    /// </summary>
    public ScheduleKind Schedule { get; init; } = ScheduleKind.Plateau;

    /// <summary>Plateau schedule: epochs without validation improvement tolerated before the rate falls.</summary>
    public int Patience { get; init; } = 2;

    /// <summary>Plateau schedule: learning-rate stages; the run stops when the last one ends.</summary>
    public int Stages { get; init; } = 3;

    /// <summary>
    /// Dropout before the classifier (CNN) or the GRU cell (recurrent models); null: the paper's
    /// <see cref="Models.ModelConfig.HeadDropout"/>, 0.5. Short runs learn faster with less (bench/results/augmentation.md,
    /// "Less dropout at the quickstart's budget").
    /// </summary>
    public double? HeadDropout { get; init; }

    /// <summary>Dropout inside the Res-SE residual branch; null: the paper's <see cref="Models.ModelConfig.ResidualDropout"/>, 0.2.</summary>
    public double? ResidualDropout { get; init; }

    /// <summary>Train on a fixed subset of this many training clips.</summary>
    public int? LimitTrain { get; init; }

    /// <summary>Torch intra-op threads; 0: one per physical core (<see cref="Native.TorchThreads.Apply"/>).</summary>
    public int Threads { get; init; }

    /// <summary>The CPU or a CUDA device (<c>cpu</c>, <c>cuda</c>, <c>cuda:1</c> in files and on the command line).</summary>
    public ComputeDevice Device { get; init; } = ComputeDevice.Cpu;

    /// <summary>
    /// Continue the run in <see cref="OutputDirectory"/> from its <c>last</c> checkpoint with its saved recipe; only
    /// <see cref="DataPath"/> (when not empty), <see cref="Threads"/>, <see cref="Device"/>, <see cref="TimeLimitMinutes"/>
    /// and <see cref="MaxEpochs"/> (when not null) apply to the resumed run.
    /// </summary>
    public bool Resume { get; init; }

    /// <summary>GRU state size of recurrent models; null: the model's (the paper's 256, the embedding heads' 64). The quickstart shrinks it.</summary>
    public int? HiddenSize { get; init; }

    /// <summary>GRU cells stacked in the head (<c>--head-layers</c>; the embedding heads take up to 4); null: one.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? HeadLayers { get; init; }

    /// <summary>
    /// The label set trained (<see cref="LabelTasks.All"/>): <c>commands35</c> (the paper's 35 words), <c>commands35+none</c>
    /// (and a rejection class) or <c>standard12</c> (the dataset's 12-label task); null: the model's
    /// (<see cref="Models.ModelDeclaration.Task"/>: the 35 words for the paper's models, with <c>_none_</c> for the embedding heads).
    /// </summary>
    public LabelTask? Task { get; init; }

    /// <summary>The task trained: <see cref="Task"/>, or the model's when null.</summary>
    [JsonIgnore]
    public LabelTask TaskInForce => Task ?? Models.ModelRegistry.Get(Variant).Task;

    /// <summary>How a task with rejection classes draws them; unused by the 35-word task.</summary>
    public RejectionMix Rejection { get; init; } = new();

    /// <summary>Training augmentation; the paper's shift by default (<c>--augment</c>, <see cref="AugmentationRecipe.Parse"/>).</summary>
    public AugmentationRecipe Augmentation { get; init; } = AugmentationRecipe.Paper;

    /// <summary>
    /// Fine-tuning: start from this model's weights instead of random ones (<c>--init-from</c>; anything
    /// <c>--checkpoint</c> takes). Its model must be the one these options train. A resumed run starts from its own
    /// last checkpoint instead.
    /// </summary>
    public string? InitFrom { get; init; }

    /// <summary>The copies of each training clip a model over a frozen front end is trained on (<c>--augment-copies</c>) when none is given.</summary>
    public const int DefaultAugmentCopies = 4;

    /// <summary>
    /// Models over a frozen front end (the speech embedding): copies of each training clip whose features are computed once
    /// and cached (<c>--augment-copies</c>): copy 0 is the clip itself, the others are augmented with
    /// <see cref="Augmentation"/> (and the background mix of a rejection task); each epoch, each clip is seen as one of them.
    /// null: <see cref="DefaultAugmentCopies"/>.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? AugmentCopies { get; init; }

    /// <summary>
    /// A folder of real recordings in the 12-label test set's layout (word folders, <c>_silence_</c>, …; <c>--select-on</c>)
    /// scored after every epoch in <see cref="SelectStyle"/>: its best epoch, not the lowest validation loss, is kept as
    /// <c>best/</c> (ties keep the earlier). null: the validation loss chooses.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? SelectOn { get; init; }

    /// <summary>How <see cref="SelectOn"/> is scored (<c>--select-style</c>); null: <see cref="FolderScoring.TwelveLabel"/>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public FolderScoring? SelectStyle { get; init; }

    /// <summary>
    /// Models over the speech embedding: a folder holding its encoder's two files (<c>--encoder</c>); null: the per-user cache
    /// that <c>tfcrnn encoder install</c> fills. A machine setting: not saved, each session gives its own.
    /// </summary>
    [JsonIgnore]
    public string? EncoderDirectory { get; init; }

    /// <summary>The embedding cache's root (<c>--embedding-cache</c>); null: the per-user cache folder. Not saved.</summary>
    [JsonIgnore]
    public string? EmbeddingCache { get; init; }

    /// <summary>Where a frozen front end finds its encoder and cache, embedding on <see cref="Threads"/> threads.</summary>
    internal SpeechEmbedding.FrontEndOptions FrontEnd => new(EncoderDirectory, EmbeddingCache, Threads);

    /// <summary>Throws <see cref="OptionException"/> naming the first bad value (as the <c>train</c> option).</summary>
    public TrainingOptions Validate()
    {
        OptionChecks.Required("--out", OutputDirectory);
        if (!Resume)
        {
            OptionChecks.Required("--data", DataPath, unless: "--resume");
            OptionChecks.Required("--model", Variant, unless: "--resume");
        }
        if (Variant.Length > 0) OptionChecks.Variant("--model", Variant);
        if (Width is { } width) OptionChecks.Width("--width", width);
        if (Task is { } task && !LabelTasks.All.Contains(task)) throw new OptionException("--task", $"must be one of {string.Join(", ", LabelTasks.Names)}");
        if (Variant.Length > 0) ModelConfig(); // --step-ms and --window-ms: ModelConfig.WithStep names the option
        if (MaxEpochs is { } cap) OptionChecks.AtLeast("--max-epochs", cap, 1);
        if (TimeLimitMinutes is { } minutes) OptionChecks.Positive("--time-limit", minutes);
        OptionChecks.AtLeast("--batch-size", BatchSize, 1);
        OptionChecks.Positive("--lr", LearningRate);
        if (!Enum.IsDefined(Optimizer)) throw new OptionException("--optimizer", $"must be one of {string.Join(", ", Spellings<OptimizerKind>.Names)}");
        if (!Enum.IsDefined(Schedule)) throw new OptionException("--lr-schedule", $"must be one of {string.Join(", ", Spellings<ScheduleKind>.Names)}");
        (Device ?? throw new OptionException("--device", "must not be null")).Validate();
        OptionChecks.NotNegative("--patience", Patience);
        OptionChecks.AtLeast(nameof(Stages), Stages, 1);
        if (HeadDropout is { } head) OptionChecks.DropoutRate("--head-dropout", head);
        if (ResidualDropout is { } residual) OptionChecks.DropoutRate("--residual-dropout", residual);
        if (LimitTrain is { } limit) OptionChecks.AtLeast("--limit-train", limit, 1);
        OptionChecks.NotNegative("--threads", Threads);
        if (HiddenSize is { } hidden) OptionChecks.AtLeast("--hidden-size", hidden, 1);
        if (HeadLayers is { } layers) OptionChecks.AtLeast("--head-layers", layers, 1);
        (Rejection ?? throw new OptionException(nameof(Rejection), "must not be null")).Validate();
        (Augmentation ?? throw new OptionException("--augment", "must not be null")).Validate();
        if (InitFrom is not null) OptionChecks.Required("--init-from", InitFrom);
        if (AugmentCopies is { } copies)
        {
            OptionChecks.AtLeast("--augment-copies", copies, 1);
            if (Variant.Length > 0 && Models.ModelRegistry.Get(Variant).FrontEnd.Kind != Models.FrontEndKind.Frozen)
                throw new OptionException("--augment-copies", $"applies to models over a frozen front end (the embedding models), not {Variant}, " +
                    "whose waveforms are augmented afresh every epoch");
        }
        if (SelectStyle is { } style && !Enum.IsDefined(style))
            throw new OptionException("--select-style", $"must be one of {string.Join(", ", Spellings<FolderScoring>.Names)}");
        if (SelectOn is not null)
        {
            OptionChecks.Required("--select-on", SelectOn);
            if (!System.IO.Directory.Exists(SelectOn))
                throw new OptionException("--select-on", $"{SelectOn}: no such folder (expected word folders of real recordings, as eval --twelve-label reads them)");
        }
        else if (SelectStyle is not null)
            throw new OptionException("--select-style", "needs --select-on");
        if (EncoderDirectory is not null) OptionChecks.Required("--encoder", EncoderDirectory);
        if (EmbeddingCache is not null) OptionChecks.Required("--embedding-cache", EmbeddingCache);
        return this;
    }

    /// <summary>The model these options train.</summary>
    public Models.ModelConfig ModelConfig()
    {
        var config = Models.ModelConfig.For(Variant);
        return (config with
        {
            Labels = TaskInForce.Classes.Labels,
            HeadDropout = HeadDropout ?? config.HeadDropout,
            ResidualDropout = ResidualDropout ?? config.ResidualDropout,
        }).WithSizes(Width, HiddenSize, HeadLayers).WithStep(StepMs, WindowMs);
    }
}
