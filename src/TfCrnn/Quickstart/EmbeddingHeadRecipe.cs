using TfCrnn.Training;

namespace TfCrnn.Quickstart;

/// <summary>
/// How the quickstart trains its head over the frozen speech embedding (into <c>OUT/embedding/</c>), when the encoder is
/// there: after the two raw-waveform models, on every thread, under its own time limit, so that it adds minutes, not
/// tens of them, to the quickstart. The recipe is issue 33's head recipe: Adam at lr 0.002 on a cosine schedule, batch 64,
/// about 15 epochs, each training clip embedded as itself and one augmented copy.
/// </summary>
public sealed record EmbeddingHeadRecipe
{
    /// <summary>The head: the paper's idea over the embedding (a GRU whose h(t-1) gates the features of step t).</summary>
    public string Model { get; init; } = "embedding-tfgru";

    /// <summary>Adam's initial learning rate.</summary>
    public double LearningRate { get; init; } = 0.002;

    /// <summary>Clips per training batch (<c>--embedding-batch-size</c>).</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Epoch cap (<c>--embedding-epochs</c>); the cosine schedule reaches nearly zero there.</summary>
    public int MaxEpochs { get; init; } = 15;

    /// <summary>
    /// Copies of each training clip embedded once and cached: the clip and one augmented with the quickstart's
    /// augmentation. Each copy costs a clip's embedding (about 20 ms a clip on one thread with the real encoder).
    /// </summary>
    public int AugmentCopies { get; init; } = 2;

    /// <summary>
    /// Minutes the head may take, embedding included (<c>--embedding-time-limit</c>); null: no limit. The two models
    /// take up to 10; this keeps the whole quickstart within 15 minutes on two cores.
    /// </summary>
    public double? TimeLimitMinutes { get; init; } = 3;

    /// <summary>Throws <see cref="OptionException"/> naming the first bad value.</summary>
    public EmbeddingHeadRecipe Validate()
    {
        OptionChecks.Variant("embedding model", Model);
        if (Models.ModelRegistry.Get(Model).FrontEnd.Kind != Models.FrontEndKind.Frozen)
            throw new OptionException("embedding model", $"must be a head over the speech embedding, not {Model}");
        OptionChecks.Positive("embedding learning rate", LearningRate);
        OptionChecks.AtLeast("--embedding-batch-size", BatchSize, 1);
        OptionChecks.AtLeast("--embedding-epochs", MaxEpochs, 1);
        OptionChecks.AtLeast("embedding augment copies", AugmentCopies, 1);
        if (TimeLimitMinutes is { } minutes) OptionChecks.Positive("--embedding-time-limit", minutes);
        return this;
    }

    /// <summary>The recipe in words, for the report.</summary>
    internal string Describe() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{Optimizers.Describe(OptimizerKind.Adam)}, lr {LearningRate}, cosine schedule, batch {BatchSize}, at most {MaxEpochs} epochs" +
            $"{(TimeLimitMinutes is { } m ? $" and {m:g3} minutes (embedding included)" : "")}, {AugmentCopies} embedded copies of each training clip");
}
