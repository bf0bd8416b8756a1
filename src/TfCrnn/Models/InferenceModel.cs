using TfCrnn.Models.Blocks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TfCrnn.Models;

/// <summary>
/// A trained model prepared for inference: a snapshot of its weights with every BatchNorm folded into the
/// convolution before it (<see cref="BatchNormFolding"/>), feature maps in channels-last layout, ReLUs and
/// residual sums in place, every intermediate released as soon as it is used, and the trunk in the requested
/// <see cref="InferencePrecision"/>. In float32 it is the model's eval-mode function up to rounding (logits agree
/// to about 1e-5). Eval, predict and streaming run models through it; training never does.
/// </summary>
internal sealed class InferenceModel : IDisposable
{
    private readonly InferenceStem stem;
    private readonly InferenceBlock[] blocks;
    private readonly GRUCell? cell;
    private readonly Linear classifier;
    private readonly ScalarType trunkType;

    private InferenceModel(SpeechCommandModel model, InferenceOptions options)
    {
        Config = model.Config;
        Precision = options.Precision;
        Device = model.parameters().FirstOrDefault()?.device ?? CPU;
        trunkType = options.Precision == InferencePrecision.BFloat16 ? ScalarType.BFloat16 : ScalarType.Float32;
        var stemBytes = (long)ModelArchitecture.FeatureLengths(Config)[0] * Config.Width * (trunkType == ScalarType.BFloat16 ? 2 : 4);
        ChunkClips = (int)Math.Max(1, FeatureMapBudgetBytes / stemBytes);
        using var noGrad = no_grad();
        stem = model.StemForInference(trunkType);
        blocks = [.. model.BlocksForInference(trunkType)];
        (cell, classifier) = model switch
        {
            Crnn crnn => crnn.HeadForInference(),
            SampleCnn cnn => ((GRUCell?)null, cnn.ClassifierForInference()),
            _ => throw new ArgumentException($"unknown model type {model.GetType().Name}", nameof(model)),
        };
    }

    /// <summary>Folds <paramref name="model"/>'s current weights (the model itself is left as it is).</summary>
    /// <exception cref="OptionException">The precision cannot run on the model's device (<see cref="InferenceOptions.Validate"/>).</exception>
    public static InferenceModel Create(SpeechCommandModel model, InferenceOptions? options = null)
    {
        options ??= new InferenceOptions();
        options.Validate(model.parameters().FirstOrDefault()?.device);
        return new InferenceModel(model, options);
    }

    /// <summary>
    /// <see cref="Create"/> without the CPU check: bfloat16 emulated where the CPU lacks it, for agreement checks
    /// (the same roundings, several times slower than float32), never for speed.
    /// </summary>
    internal static InferenceModel CreateEmulated(SpeechCommandModel model, InferenceOptions options) => new(model, options);

    public ModelConfig Config { get; }

    public InferencePrecision Precision { get; }

    public Device Device { get; }

    /// <summary>
    /// The most bytes one feature map of a forward pass may take: larger batches are run in chunks of clips.
    /// Larger buffers than glibc's largest heap block (32 MiB) are mapped afresh and page-faulted on every
    /// allocation; below it freed memory is reused. The chunks also bound the peak memory of any batch size.
    /// </summary>
    public const long FeatureMapBudgetBytes = 8L << 20;

    /// <summary>Clips per chunk of <see cref="Forward"/>: the stem's output, the largest map, fits the budget.</summary>
    public int ChunkClips { get; }

    /// <summary>
    /// Logits of every step, what <see cref="SpeechCommandModel.Forward"/> returns in eval mode.
    /// </summary>
    /// <param name="waveforms">(batch, 1, samples) scaled float32 samples.</param>
    /// <returns>(steps, batch, classes) float32; steps is 1 for the CNN.</returns>
    public Tensor Forward(Tensor waveforms)
    {
        using var noGrad = no_grad();
        if (waveforms.shape[0] <= ChunkClips) return ForwardChunk(waveforms);
        var chunks = waveforms.split(ChunkClips);
        var logits = new List<Tensor>(chunks.Length);
        try
        {
            foreach (var chunk in chunks)
                using (chunk)
                    logits.Add(ForwardChunk(chunk));
            return cat(logits, 1);
        }
        finally
        {
            foreach (var l in logits) l.Dispose();
        }
    }

    private Tensor ForwardChunk(Tensor waveforms)
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

    /// <summary>h(0): zeros (batch, hidden), float32, on the model's device.</summary>
    public Tensor InitialHidden(long batch) => zeros(batch, Config.HiddenSize, ScalarType.Float32, Device);

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
    public (Tensor Logits, Tensor Hidden) Step(Tensor window, Tensor previousHidden)
    {
        if (cell is null) throw new InvalidOperationException($"{Config.Variant} is not recurrent: it has no steps");
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

    public void Dispose()
    {
        stem.Dispose();
        foreach (var block in blocks) block.Dispose();
        cell?.Dispose();
        classifier.Dispose();
    }
}
