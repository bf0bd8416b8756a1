using TfCrnn.Models.Layers;
using TfCrnn.Models.Paper.Blocks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TfCrnn.Models.Paper;

/// <summary>
/// The inference form of the paper's nine (<see cref="InferenceModel"/>): a snapshot of the weights with every BatchNorm
/// folded into the convolution before it (<see cref="BatchNormFolding"/>), feature maps in channels-last layout, ReLUs
/// and residual sums in place, every intermediate released as soon as it is used, and the trunk in the requested
/// <see cref="InferencePrecision"/>. In float32 it is the model's eval-mode function up to rounding (logits agree
/// to about 1e-5).
/// </summary>
internal sealed class FoldedInferenceModel : InferenceModel
{
    private readonly InferenceStem stem;
    private readonly InferenceBlock[] blocks;
    private readonly GRUCell? cell;
    private readonly Linear classifier;
    private readonly ScalarType trunkType;

    public FoldedInferenceModel(BlockStackModel model, InferenceOptions options)
        : base(model.Config, options.Precision, DeviceOf(model))
    {
        trunkType = options.Precision == InferencePrecision.BFloat16 ? ScalarType.BFloat16 : ScalarType.Float32;
        var stemBytes = (long)ModelArchitecture.FeatureLengths(Config)[0] * Config.Width * (trunkType == ScalarType.BFloat16 ? 2 : 4);
        ChunkClips = (int)Math.Max(1, FeatureMapBudgetBytes / stemBytes);
        using var noGrad = no_grad();
        stem = model.StemForInference(trunkType);
        blocks = [.. model.BlocksForInference(trunkType)];
        (cell, classifier) = model.HeadForInference();
    }

    /// <summary>
    /// The most bytes one feature map of a forward pass may take: larger batches are run in chunks of clips.
    /// Larger buffers than glibc's largest heap block (32 MiB) are mapped afresh and page-faulted on every
    /// allocation; below it freed memory is reused. The chunks also bound the peak memory of any batch size.
    /// </summary>
    public const long FeatureMapBudgetBytes = 8L << 20;

    /// <summary>Clips per chunk of <see cref="InferenceModel.Forward"/>: the stem's output, the largest map, fits the budget.</summary>
    public override int ChunkClips { get; }

    protected override Tensor ForwardChunk(Tensor waveforms)
    {
        if (cell is null)
        {
            using var features = PooledFeatures(waveforms, previousHidden: null);
            using var logits = classifier.forward(features);
            return logits.unsqueeze(0);
        }
        using var windows = Crnn.Windows(waveforms, Config);
        var steps = (int)windows.shape[2];
        var stepLogits = new List<Tensor>(steps);
        try
        {
            var hidden = InitialHidden(waveforms.shape[0]);
            for (var step = 0; step < steps; step++)
            {
                using var previous = hidden;
                using var window = windows.select(2, step);
                var (logits, next) = Step(window, previous);
                stepLogits.Add(logits);
                hidden = next;
            }
            hidden.Dispose();
            return stack(stepLogits);
        }
        finally
        {
            foreach (var logits in stepLogits) logits.Dispose();
        }
    }

    /// <summary>
    /// One step of the recurrence, the same function as <see cref="Crnn.Step(Tensor, Tensor)"/> in eval mode: a window and
    /// h(t-1) in, the step's logits and h(t) out (the caller owns both).
    /// </summary>
    /// <param name="window">
    /// (batch, 1, window) scaled float32 samples; or (1, 1, window), one window heard by every lane of
    /// <paramref name="previousHidden"/>: the layers before the first that reads h(t-1) then run once, not once a lane.
    /// </param>
    /// <param name="previousHidden">h(t-1), (batch, hidden) float32.</param>
    /// <returns>Logits (batch, classes) and h(t) (batch, hidden), float32.</returns>
    /// <exception cref="InvalidOperationException">The model is a CNN, which has no steps.</exception>
    public override (Tensor Logits, Tensor Hidden) Step(Tensor window, Tensor previousHidden)
    {
        if (cell is null) throw NotRecurrent();
        using var noGrad = no_grad();
        using var pooled = PooledFeatures(window, previousHidden);
        using var features = pooled.expand(previousHidden.shape[0], -1);
        var hidden = cell.forward(features, previousHidden);
        return (classifier.forward(hidden), hidden);
    }

    /// <summary>Stem, blocks and the max over time: (batch, 1, L) → (batch, C) float32.</summary>
    private Tensor PooledFeatures(Tensor input, Tensor? previousHidden)
    {
        Tensor features;
        using (var typed = input.to_type(trunkType))
            features = stem.Apply(typed);
        foreach (var block in blocks)
        {
            using var blockInput = features;
            features = block.Forward(blockInput, previousHidden);
        }
        using (features)
        using (var pooled = features.amax([2, 3]))
            return pooled.to_type(ScalarType.Float32, copy: true);
    }

    public override void Dispose()
    {
        stem.Dispose();
        foreach (var block in blocks) block.Dispose();
        cell?.Dispose();
        classifier.Dispose();
    }
}
