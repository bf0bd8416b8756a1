using TfCrnn.Models.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TfCrnn.Models.SpeechEmbedding;

/// <summary>
/// The training module of the heads over the frozen speech embedding (<see cref="EmbeddingModel"/>): each step's 96
/// features are standardised (per-dimension mean and deviation of the training embeddings, buffers that travel with the
/// weights), then, with feedback, multiplied by a sigmoid excitation of the previous state h(t-1) of the top cell
/// (<see cref="Excitation"/>, as the paper's TF blocks rescale their channels), and passed through dropout and
/// <see cref="ModelConfig.HeadLayers"/> stacked GRU cells (dropout before each); the top cell's new state is classified
/// at every step, as the CRNNs' many-to-many output, so the same losses apply.
/// Input (batch, 16, 96); logits (16, batch, classes); state (batch, layers × hidden), the cells' states in order.
/// </summary>
/// <remarks>
/// <see cref="Step(Tensor, Tensor)"/> is the unit of streaming: one embedding and h(t-1) in, logits and h(t) out; <see cref="Forward"/> is
/// that step unrolled over a clip's embeddings from <see cref="InitialHidden"/>.
/// </remarks>
public sealed class EmbeddingHead : SpeechCommandModel, IRecurrentModel, IStandardisedInput
{
    private const int Features = Runtime.SpeechEmbedding.SpeechEmbeddingGeometry.Dimensions;

    // Field names are the state-dict names: TorchSharp maps fields to components by name.
    private readonly Tensor mean;
    private readonly Tensor deviation;
    private readonly Excitation? gate;
    private readonly ParallelDropout dropout;
    private readonly ModuleList<GRUCell> cells;
    private readonly Linear classifier;

    internal EmbeddingHead(ModelConfig config, bool feedback) : base(config)
    {
        mean = zeros(Features);
        deviation = ones(Features);
        gate = feedback ? new Excitation(config.HiddenSize, Bottleneck(config), Features) : null;
        dropout = new ParallelDropout(config.HeadDropout);
        cells = nn.ModuleList([.. Enumerable.Range(0, config.HeadLayers)
            .Select(layer => nn.GRUCell(layer == 0 ? Features : config.HiddenSize, config.HiddenSize))]);
        classifier = nn.Linear(config.HiddenSize, config.Classes);
        RegisterComponents();
    }

    /// <summary>The gate's bottleneck: a quarter of the state, at least 8 (as issue 27's bench head had it).</summary>
    internal static int Bottleneck(ModelConfig config) => Math.Max(8, config.HiddenSize / 4);

    /// <summary>h(0): zeros (batch, layers × hidden).</summary>
    public Tensor InitialHidden(long batch, ScalarType dtype = ScalarType.Float32, Device? device = null) =>
        zeros(batch, Config.StateSize, dtype, device);

    /// <summary>
    /// Sets the input standardisation to the per-dimension mean and deviation of <paramref name="embeddings"/>, the
    /// training set's: (clips, steps, 96) or (n, 96). Deviations below 1e-3 count as 1e-3.
    /// </summary>
    public void Standardise(Tensor embeddings)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        if (embeddings.shape[^1] != Features)
            throw new ArgumentException($"embeddings must end in {Features} features, got ({string.Join(", ", embeddings.shape)})");
        using var _ = no_grad();
        using var flat = embeddings.reshape(-1, Features).to(mean.device);
        using var average = flat.mean([0]);
        using var spread = flat.std([0]);
        Standardise(average.cpu().data<float>().ToArray(), spread.cpu().data<float>().ToArray());
    }

    /// <summary>Sets the input standardisation to a per-dimension <paramref name="average"/> and <paramref name="spread"/> (floored at 1e-3).</summary>
    public void Standardise(float[] average, float[] spread)
    {
        ArgumentNullException.ThrowIfNull(average);
        ArgumentNullException.ThrowIfNull(spread);
        if (average.Length != Features || spread.Length != Features)
            throw new ArgumentException($"a standardisation has {Features} means and deviations");
        using var _ = no_grad();
        using var means = tensor(average);
        using var deviations = tensor(spread.Select(d => Math.Max(d, 1e-3f)).ToArray());
        mean.copy_(means);
        deviation.copy_(deviations);
    }

    /// <summary>One step: an embedding and h(t-1) in, the step's logits and h(t) out.</summary>
    /// <param name="features">(batch, 96): one embedding per clip or stream.</param>
    /// <param name="previousHidden">h(t-1), (batch, layers × hidden).</param>
    /// <returns>Logits (batch, classes) and h(t) (batch, layers × hidden).</returns>
    public (Tensor Logits, Tensor Hidden) Step(Tensor features, Tensor previousHidden) =>
        Step(features, previousHidden, excitations: null, stepFeatures: null);

    private (Tensor Logits, Tensor Hidden) Step(Tensor features, Tensor previousHidden, List<Tensor>? excitations,
        List<Tensor>? stepFeatures)
    {
        var size = Config.HiddenSize;
        var layers = Config.HeadLayers;
        using var centred = features.sub(mean);
        using var standardised = centred.div(deviation);
        Tensor? scale = null;
        if (gate is not null)
        {
            using var top = previousHidden.narrow(1, (layers - 1) * size, size);
            scale = gate.forward(top);
        }
        var input = scale is null ? standardised.alias() : standardised.mul(scale);
        if (excitations is not null && scale is not null) excitations.Add(scale);
        else scale?.Dispose();
        if (stepFeatures is not null) stepFeatures.Add(input.alias());
        var states = new Tensor[layers];
        for (var layer = 0; layer < layers; layer++)
        {
            using var previous = previousHidden.narrow(1, layer * size, size);
            using (input)
            {
                using var dropped = dropout.forward(input);
                states[layer] = cells[layer].forward(dropped, previous);
            }
            input = states[layer].alias();
        }
        using (input)
        {
            var logits = classifier.forward(input);
            if (layers == 1) return (logits, states[0]);
            var hidden = cat(states, 1);
            foreach (var state in states) state.Dispose();
            return (logits, hidden);
        }
    }

    /// <summary>The step unrolled over a clip's embeddings from h(0) = 0, classifying every step.</summary>
    /// <param name="embeddings">(batch, steps, 96).</param>
    /// <param name="extras">Excitations: the gate's scales (steps, batch, 96), one entry; step features: what enters the
    /// first cell (steps, batch, 96).</param>
    /// <returns>Logits (steps, batch, classes), as the CRNNs give them (many-to-many; the last step is many-to-one's).</returns>
    public override ModelOutput Forward(Tensor embeddings, ForwardExtras extras)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        if (embeddings.dim() != 3 || embeddings.shape[2] != Features)
            throw new ArgumentException($"embeddings must be (batch, steps, {Features}), got ({string.Join(", ", embeddings.shape)})");
        var steps = (int)embeddings.shape[1];
        var excitations = extras.HasFlag(ForwardExtras.Excitations) && gate is not null ? new List<Tensor>(steps) : null;
        var stepFeatures = extras.HasFlag(ForwardExtras.StepFeatures) ? new List<Tensor>(steps) : null;
        var logits = new List<Tensor>(steps);
        // Not detached: gradients cross steps; each h(t-1) handle is released once the next step has used it.
        var hidden = InitialHidden(embeddings.shape[0], embeddings.dtype, embeddings.device);
        for (var t = 0; t < steps; t++)
        {
            using var previous = hidden;
            using var step = embeddings.select(1, t);
            var (stepLogits, next) = Step(step, previous, excitations, stepFeatures);
            logits.Add(stepLogits);
            hidden = next;
        }
        var stacked = stack(logits);
        foreach (var l in logits) l.Dispose();
        return new ModelOutput(stacked, hidden, excitations is null ? [] : [Stacked(excitations)],
            stepFeatures is null ? null : Stacked(stepFeatures));

        static Tensor Stacked(List<Tensor> perStep)
        {
            var all = stack(perStep);
            foreach (var t in perStep) t.Dispose();
            return all;
        }
    }
}
