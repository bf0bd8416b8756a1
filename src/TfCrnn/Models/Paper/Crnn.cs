using TfCrnn.Models.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TfCrnn.Models.Paper;

/// <summary>
/// The recurrent families: CRNN (<c>crnn-*</c>) and TF-CRNN (<c>tfcrnn-*</c>). The clip is cut into
/// <see cref="StepGeometry.HalfOverlappingSteps"/> windows of <see cref="ModelConfig.Window"/> samples every
/// <see cref="ModelConfig.Hop"/>; per step the shared trunk (stem + blocks, fed h(t-1)) is max-pooled over time,
/// passed through dropout and a GRU cell, and the new state is classified. The families differ only in their blocks: TF blocks use h(t-1), the others ignore it.
/// Input (batch, 1, samples); logits (steps, batch, classes), hidden (batch, hidden).
/// </summary>
internal sealed class Crnn : BlockStackModel, IRecurrentModel
{
    private readonly ParallelDropout dropout;
    private readonly GRUCell cell;
    private readonly Linear classifier;

    public Crnn(ModelConfig config) : base(config)
    {
        dropout = new ParallelDropout(config.HeadDropout);
        cell = nn.GRUCell(ModelArchitecture.FeatureChannels(config), config.HiddenSize);
        classifier = nn.Linear(config.HiddenSize, config.Classes);
        RegisterComponents();
    }

    public override ModelOutput Forward(Tensor waveforms, ForwardExtras extras)
    {
        using var windows = Windows(waveforms, Config);
        var steps = (int)windows.shape[2];
        var excitations = ExcitationCollector(extras);
        var stepFeatures = extras.HasFlag(ForwardExtras.StepFeatures) ? new List<Tensor>(steps) : null;
        var logits = new List<Tensor>(steps);
        // h(t-1) feeds step t's blocks; zeros before the first step. Not detached: gradients cross steps (autograd
        // keeps what it needs; the handles are released as soon as the next step has used them).
        var hidden = InitialHidden(waveforms.shape[0], waveforms.dtype, waveforms.device);
        for (var step = 0; step < steps; step++)
        {
            using var previous = hidden;
            using var window = windows.select(2, step);
            var (stepLogits, next) = Step(window, previous, excitations, stepFeatures);
            logits.Add(stepLogits);
            hidden = next;
        }
        var stacked = stack(logits);
        foreach (var l in logits) l.Dispose();
        return new ModelOutput(stacked, hidden, StackPerBlock(excitations),
            stepFeatures is null ? null : stack(stepFeatures));
    }

    /// <summary>
    /// The step windows of a clip as a view, no copy: (batch, 1, samples) → (batch, 1, steps, window). The authors'
    /// steps: 2 × (samples div window) − 1 windows at the hop (<see cref="StepGeometry.HalfOverlappingSteps"/>); where
    /// the window does not divide the input, later windows that would still fit are not used.
    /// </summary>
    internal static Tensor Windows(Tensor waveforms, ModelConfig config)
    {
        var geometry = config.Geometry;
        using var all = waveforms.unfold(2, geometry.Window, geometry.Hop);
        return all.narrow(2, 0, StepGeometry.HalfOverlappingSteps(waveforms.shape[^1], geometry.Window));
    }

    /// <summary>h(0): zeros (batch, hidden).</summary>
    public Tensor InitialHidden(long batch, ScalarType dtype = ScalarType.Float32, Device? device = null) =>
        zeros(batch, Config.HiddenSize, dtype, device);

    /// <summary>
    /// One step of the recurrence, the unit of streaming recognition: a window and h(t-1) in, the step's logits
    /// and h(t) out. The forward pass over a clip is this step over its windows, starting from
    /// <see cref="InitialHidden"/>. For inference at speed, <see cref="FoldedInferenceModel.Step"/> is the same function.
    /// </summary>
    /// <param name="window">(batch, 1, window) scaled samples.</param>
    /// <param name="previousHidden">h(t-1), (batch, hidden).</param>
    /// <returns>Logits (batch, classes) and h(t) (batch, hidden).</returns>
    public (Tensor Logits, Tensor Hidden) Step(Tensor window, Tensor previousHidden) =>
        Step(window, previousHidden, excitationsPerBlock: null, stepFeatures: null);

    private (Tensor Logits, Tensor Hidden) Step(Tensor window, Tensor previousHidden, List<Tensor>[]? excitationsPerBlock,
        List<Tensor>? stepFeatures)
    {
        var features = PooledFeatures(window, previousHidden, excitationsPerBlock);
        stepFeatures?.Add(features);
        using var dropped = dropout.forward(features);
        if (stepFeatures is null) features.Dispose();
        var hidden = cell.forward(dropped, previousHidden);
        return (classifier.forward(hidden), hidden);
    }

    /// <summary>The head for inference: copies of the GRU cell and classifier.</summary>
    internal override (GRUCell? Cell, Linear Classifier) HeadForInference() => (CopyForInference(cell, nn.GRUCell(cell.weight_ih!.shape[1], Config.HiddenSize)),
        CopyForInference(classifier, nn.Linear(Config.HiddenSize, Config.Classes)));
}
