using TfCrnn.Models.Blocks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TfCrnn.Models.SpeechEmbedding;

/// <summary>What an <see cref="EmbeddingHead"/> is: its classes, state size, whether h(t-1) gates the features, its dropout.</summary>
/// <param name="Classes">Classes of the label set.</param>
/// <param name="HiddenSize">The GRU's state size.</param>
/// <param name="Feedback">
/// The paper's idea on top of the embedding: h(t-1) gates the 96 features of step t (a TF block's excitation); false:
/// a plain GRU.
/// </param>
/// <param name="Dropout">Dropout on the (gated) features before the cell, in training.</param>
public sealed record EmbeddingHeadConfig(int Classes, int HiddenSize = 64, bool Feedback = true, double Dropout = 0.2)
{
    /// <summary>Dimensions of the input: the speech embedding's.</summary>
    public const int Features = Runtime.SpeechEmbedding.SpeechEmbeddingGeometry.Dimensions;

    /// <summary>The gate's bottleneck: a quarter of the state, at least 8 (as the bench's head had it).</summary>
    public int Bottleneck => Math.Max(8, HiddenSize / 4);

    /// <exception cref="OptionException">A value is out of range.</exception>
    public EmbeddingHeadConfig Validate()
    {
        OptionChecks.AtLeast("--classes", Classes, 2);
        OptionChecks.AtLeast("--hidden", HiddenSize, 1);
        OptionChecks.DropoutRate("--head-dropout", Dropout);
        return this;
    }
}

/// <summary>
/// A classifier over the frozen speech embedding's sequence (one 96-d embedding per 80 ms): each step's features are
/// standardised (per-dimension mean and deviation of the training embeddings, buffers that travel with the weights),
/// then, with <see cref="EmbeddingHeadConfig.Feedback"/>, multiplied by sigmoid excitation of the previous state h(t-1)
/// (<see cref="Excitation"/>, as the paper's TF blocks rescale their channels), passed through dropout and a GRU cell,
/// and the new state is classified at every step, as the CRNNs' many-to-many output (so the same losses apply).
/// </summary>
/// <remarks>
/// <see cref="Step"/> is the unit of streaming: one embedding and h(t-1) in, logits and h(t) out; <see cref="forward"/>
/// is that step unrolled over a clip's embeddings from <see cref="InitialHidden"/>.
/// </remarks>
public sealed class EmbeddingHead : nn.Module<Tensor, Tensor>
{
    // Field names are the state-dict names: TorchSharp maps fields to components by name.
    private readonly Tensor mean;
    private readonly Tensor deviation;
    private readonly Excitation? gate;
    private readonly ParallelDropout dropout;
    private readonly GRUCell cell;
    private readonly Linear classifier;

    /// <param name="config">The head's shape; validated here.</param>
    public EmbeddingHead(EmbeddingHeadConfig config) : base(nameof(EmbeddingHead))
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config.Validate();
        mean = zeros(EmbeddingHeadConfig.Features);
        deviation = ones(EmbeddingHeadConfig.Features);
        gate = config.Feedback ? new Excitation(config.HiddenSize, config.Bottleneck, EmbeddingHeadConfig.Features) : null;
        dropout = new ParallelDropout(config.Dropout);
        cell = nn.GRUCell(EmbeddingHeadConfig.Features, config.HiddenSize);
        classifier = nn.Linear(config.HiddenSize, config.Classes);
        RegisterComponents();
    }

    /// <summary>The head's shape.</summary>
    public EmbeddingHeadConfig Config { get; }

    /// <summary>h(0): zeros (batch, hidden).</summary>
    public Tensor InitialHidden(long batch, Device? device = null) => zeros(batch, Config.HiddenSize, device: device);

    /// <summary>
    /// Sets the input standardisation to the per-dimension mean and deviation of <paramref name="embeddings"/>, the
    /// training set's: (clips, steps, 96) or (n, 96). Deviations below 1e-3 count as 1e-3.
    /// </summary>
    public void Standardise(Tensor embeddings)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        if (embeddings.shape[^1] != EmbeddingHeadConfig.Features)
            throw new ArgumentException($"embeddings must end in {EmbeddingHeadConfig.Features} features, got ({string.Join(", ", embeddings.shape)})");
        using var _ = no_grad();
        using var flat = embeddings.reshape(-1, EmbeddingHeadConfig.Features).to(mean.device);
        using var average = flat.mean([0]);
        using var spread = flat.std([0]);
        using var floor = 1e-3.ToScalar();
        using var floored = spread.clamp_min(floor);
        mean.copy_(average);
        deviation.copy_(floored);
    }

    /// <summary>One step: an embedding and h(t-1) in, the step's logits and h(t) out.</summary>
    /// <param name="features">(batch, 96): one embedding per clip or stream.</param>
    /// <param name="previousHidden">h(t-1), (batch, hidden).</param>
    /// <returns>Logits (batch, classes) and h(t) (batch, hidden).</returns>
    public (Tensor Logits, Tensor Hidden) Step(Tensor features, Tensor previousHidden)
    {
        using var centred = features.sub(mean);
        using var standardised = centred.div(deviation);
        using var scale = gate?.forward(previousHidden);
        using var gated = scale is null ? standardised.alias() : standardised.mul(scale);
        using var dropped = dropout.forward(gated);
        var hidden = cell.forward(dropped, previousHidden);
        return (classifier.forward(hidden), hidden);
    }

    /// <summary>The step unrolled over a sequence of embeddings, from h(0) = 0, classifying every step.</summary>
    /// <param name="embeddings">(batch, steps, 96).</param>
    /// <returns>Logits (steps, batch, classes), as the CRNNs give them (many-to-many; the last step is many-to-one's).</returns>
    public override Tensor forward(Tensor embeddings)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        if (embeddings.dim() != 3 || embeddings.shape[2] != EmbeddingHeadConfig.Features)
            throw new ArgumentException($"embeddings must be (batch, steps, {EmbeddingHeadConfig.Features}), got ({string.Join(", ", embeddings.shape)})");
        var steps = embeddings.shape[1];
        var logits = new List<Tensor>((int)steps);
        // Not detached: gradients cross steps; each h(t-1) handle is released once the next step has used it.
        var hidden = InitialHidden(embeddings.shape[0], embeddings.device);
        for (var t = 0; t < steps; t++)
        {
            using var previous = hidden;
            using var step = embeddings.select(1, t);
            var (stepLogits, next) = Step(step, previous);
            logits.Add(stepLogits);
            hidden = next;
        }
        hidden.Dispose();
        var stacked = stack(logits);
        foreach (var l in logits) l.Dispose();
        return stacked;
    }
}
