using TfCrnn.Data;
using TfCrnn.Data.Augmentation;
using TfCrnn.Evaluation;
using TfCrnn.Runtime;
using TfCrnn.Synthesis;
using TfCrnn.Training;

namespace TfCrnn.Quickstart;

/// <summary>
/// The quickstart's settings: a reduced version of the paper's recipe that trains a TF-CRNN and its
/// CRNN on the synthetic espeak-ng dataset in minutes on two CPU cores.
/// </summary>
public sealed record QuickstartOptions
{
    /// <summary>Where the dataset (unless <see cref="DataPath"/>), the two run folders and report.md go.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>A Speech Commands dataset to use instead; default <c>OutputDirectory/data</c>, synthesised when absent.</summary>
    public string? DataPath { get; init; }

    /// <summary>Clips per word when synthesising.</summary>
    public int ClipsPerWord { get; init; } = SynthesisOptions.DefaultClipsPerWord;

    /// <summary>Seed of the synthesis, the trainings and the stream.</summary>
    public int Seed { get; init; }

    // Reduced from the paper (width 128, batch 64, SGD at lr 0.025, 200 epochs) so that two models train side by side in
    // at most 10 minutes on two cores (TimeLimitMinutes). Width 24 cost 1.7 times as much an epoch and did no better
    // than twice the epochs at width 16 (bench/results/augmentation.md, "Longer training at the quickstart's budget").
    // With SGD they spent their first 5 epochs answering `_none_` to everything; Adam at lr 0.003 leaves that plateau
    // sooner and ends higher ("Adam at the quickstart's budget"), and so does less dropout than the paper's ("Less dropout
    // at the quickstart's budget", and with the MBROLA voices "MBROLA voices at the quickstart's budget, with Adam"): 32
    // epochs are still too few to overfit.
    /// <summary>Width of both models (the paper's is 128).</summary>
    public int Width { get; init; } = 16;

    /// <summary>Clips per training batch (the paper's is 64).</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>Adam: it leaves the first epochs' plateau sooner at this budget than the paper's SGD.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;

    /// <summary>Initial learning rate.</summary>
    public double LearningRate { get; init; } = 0.003;

    /// <summary>Epochs at most per model.</summary>
    public int MaxEpochs { get; init; } = 32;

    /// <summary>
    /// Minutes each model may train; null: no limit. On the README's machine (18 s an epoch) the schedule or the epoch cap
    /// ends the runs first; on a slower one the limit keeps the whole quickstart under 15 minutes.
    /// </summary>
    public double? TimeLimitMinutes { get; init; } = 10;

    /// <summary>Dropout before the GRU cell (paper: 0.5).</summary>
    public double HeadDropout { get; init; } = 0.1;

    /// <summary>Dropout inside the Res-SE residual branches (paper: 0.2).</summary>
    public double ResidualDropout { get; init; } = 0;

    /// <summary>Epochs without a better validation loss before the learning rate drops.</summary>
    public int Patience { get; init; } = 2;

    /// <summary>Torch threads; 0: one per physical core (<see cref="Native.TorchThreads.Apply"/>).</summary>
    public int Threads { get; init; }

    /// <summary>The two variants compared, both many-to-many.</summary>
    public IReadOnlyList<string> Variants { get; init; } = ["tfcrnn-resse", "crnn-resse"];

    /// <summary>The labels both models learn: the 35 commands and a rejection class, so that <c>tfcrnn stream</c> can use them.</summary>
    public LabelTask Task { get; init; } = LabelTasks.CommandsAndNone;

    /// <summary>How the rejection class is drawn (bench/results/streaming.md measured these against TensorFlow's defaults).</summary>
    public RejectionMix Rejection { get; init; } = new();

    /// <summary>
    /// Training augmentation of both models (<c>--augment</c>): besides the paper's shift, neighbouring speech and wider
    /// placement as a window over a stream holds its words, noise at 5-40 dB SNR and gain, so that no noise floor or
    /// loudness becomes a cue (bench/results/augmentation.md, "The white-noise floor: a shortcut"), and vocal-tract
    /// length perturbation for other speakers (same file, "Vocal-tract length perturbation at 32 epochs").
    /// </summary>
    public AugmentationRecipe Augmentation { get; init; } =
        AugmentationRecipe.Parse("paper,+neighbours,wideshift=-150:150@0.5,noise=5:40@0.5,+gain,+vtlp@0.3");

    /// <summary>
    /// The voices the synthesis speaks with; null (default): espeak-ng's own and the MBROLA voices (SVOX Pico's and RHVoice's only when named)
    /// where scripts/install-deps.sh could install them. The MBROLA voices, diphones cut from recorded speakers, cost
    /// the held-out espeak-ng voices some accuracy and gain more on other speech engines (bench/results/augmentation.md,
    /// "MBROLA voices at the quickstart's budget, with Adam").
    /// </summary>
    public IReadOnlyList<string>? Voices { get; init; }

    /// <summary>
    /// espeak-ng voices whose configurations the synthesis writes only to <c>OUTPUT/data-heldout</c>, never to train or
    /// validation: the generalisation section's first set (not used with <see cref="DataPath"/>).
    /// </summary>
    public IReadOnlyList<string> HoldOutVoices { get; init; } = ["en-gb-scotland", "ja"];

    /// <summary>espeak-ng variants held out in the same way as <see cref="HoldOutVoices"/>.</summary>
    public IReadOnlyList<string> HoldOutVariants { get; init; } = ["klatt3", "whisperf"];

    /// <summary>
    /// More datasets (Speech Commands layout, every clip scored) to measure generalisation on: other speech engines
    /// (bench/heldout/make_other_engines.sh), real recordings (<c>--heldout</c>).
    /// </summary>
    public IReadOnlyList<string> HeldOutData { get; init; } = [];

    /// <summary>
    /// Folders of real people's recordings in the Speech Commands layout (<c>--real</c>, e.g. <c>bench/real/dev</c>): the
    /// report's "Real people" section scores both models and the shipped default model on each, the 35 words and 12-label style.
    /// </summary>
    public IReadOnlyList<string> RealData { get; init; } = [];

    /// <summary>
    /// The head over the speech embedding trained into <c>OUT/embedding/</c> after the two models, when the encoder is
    /// there (<see cref="EncoderDirectory"/> or installed by <c>tfcrnn encoder install</c>); without it, the report says how to get it.
    /// </summary>
    public EmbeddingHeadRecipe EmbeddingHead { get; init; } = new();

    /// <summary>A folder holding the speech-embedding encoder's two files (<c>--encoder</c>); null: the per-user cache, if installed.</summary>
    public string? EncoderDirectory { get; init; }

    /// <summary>The embedding cache's root (<c>--embedding-cache</c>); null: <c>OUT/embedding-cache</c>, so that the quickstart writes only under OUT.</summary>
    public string? EmbeddingCache { get; init; }

    /// <summary>Signal-to-noise ratios of the generalisation section's noisy conditions, in dB.</summary>
    public IReadOnlyList<double> SnrDb { get; init; } = Generalization.DefaultSnrDb;

    /// <summary>The held-out voices' clips per command: a sixth of the training speakers' (10 at the default 60).</summary>
    internal int HeldOutClipsPerWord => Math.Max(1, ClipsPerWord / 6);

    /// <summary>Minutes of the test stream the streaming section is measured on (made from the test split); 0 for no streaming section.</summary>
    public double StreamMinutes { get; init; } = 3;

    /// <summary>Throws <see cref="OptionException"/> naming the first bad value.</summary>
    public QuickstartOptions Validate()
    {
        OptionChecks.Required("--out", OutputDirectory);
        if (ClipsPerWord < DatasetSynthesizer.ClipsPerWordForEverySplit)
            throw new OptionException("--clips-per-word", $"must be at least {DatasetSynthesizer.ClipsPerWordForEverySplit} " +
                $"for the quickstart, so that every word has a test clip, got {ClipsPerWord}");
        OptionChecks.Width("--width", Width);
        OptionChecks.AtLeast("--batch-size", BatchSize, 1);
        OptionChecks.Positive("--lr", LearningRate);
        if (!Enum.IsDefined(Optimizer)) throw new OptionException("--optimizer", $"must be one of {string.Join(", ", Spellings<OptimizerKind>.Names)}");
        OptionChecks.AtLeast("--max-epochs", MaxEpochs, 1);
        if (TimeLimitMinutes is { } minutes) OptionChecks.Positive("--time-limit", minutes);
        OptionChecks.DropoutRate("--head-dropout", HeadDropout);
        OptionChecks.DropoutRate("--residual-dropout", ResidualDropout);
        OptionChecks.NotNegative("--patience", Patience);
        OptionChecks.NotNegative("--threads", Threads);
        foreach (var variant in Variants)
            OptionChecks.Variant("variants", variant);
        if (!LabelTasks.All.Contains(Task)) throw new OptionException(nameof(Task), $"must be one of {string.Join(", ", LabelTasks.Names)}");
        Rejection.Validate();
        (Augmentation ?? throw new OptionException("--augment", "must not be null")).Validate();
        QuickstartPipeline.Synthesis(this, OutputDirectory, Path.Combine(OutputDirectory, "data")).Validate();
        foreach (var path in HeldOutData)
            if (!Directory.Exists(path) && !File.Exists(path))
                throw new OptionException("--heldout", $"{path} does not exist");
        foreach (var path in RealData)
            if (!Directory.Exists(path))
                throw new OptionException("--real", $"{path}: no such folder");
        (EmbeddingHead ?? throw new OptionException(nameof(EmbeddingHead), "must not be null")).Validate();
        if (EncoderDirectory is not null) SpeechEmbedding.EncoderFiles.Locate(EncoderDirectory);
        if (EmbeddingCache is not null) OptionChecks.Required("--embedding-cache", EmbeddingCache);
        OptionChecks.NotNegative(nameof(StreamMinutes), StreamMinutes);
        return this;
    }
}
