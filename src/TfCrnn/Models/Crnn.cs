using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TfCrnn.Models;

/// <summary>
/// The recurrent families: CRNN (<c>crnn-*</c>) and TF-CRNN (<c>tfcrnn-*</c>). The clip is cut into
/// <see cref="ModelConfig.StepsOver"/> windows of <see cref="ModelConfig.Window"/> samples every
/// <see cref="ModelConfig.Hop"/>; per step the shared trunk (stem + blocks, fed h(t-1)) is max-pooled over time,
/// passed through dropout and a GRU cell, and the new state is classified. The families differ only in their blocks: TF blocks use h(t-1), the others ignore it.
/// Input (batch, 1, samples); logits (steps, batch, classes), hidden (batch, hidden).
/// </summary>
public sealed class Crnn : SpeechCommandModel
{
    private readonly Dropout dropout;
    private readonly GRUCell cell;
    private readonly Linear classifier;

    public Crnn(ModelConfig config) : base(config)
    {
        dropout = nn.Dropout(config.HeadDropout);
        cell = nn.GRUCell(ModelArchitecture.FeatureChannels(config), config.HiddenSize);
        classifier = nn.Linear(config.HiddenSize, config.Classes);
        RegisterComponents();
    }

    public override ModelOutput Forward(Tensor waveforms, ForwardExtras extras)
    {
        // The authors' steps: 2 × (samples div window) − 1 windows at the hop. Where the window does not divide the
        // input, the unfold also yields later windows that still fit; they are not used.
        var steps = Config.StepsOver(waveforms.shape[^1]);
        var windows = waveforms.unfold(2, Config.Window, Config.Hop); // (batch, 1, ≥ steps, window)
        var excitations = ExcitationCollector(extras);
        var stepFeatures = extras.HasFlag(ForwardExtras.StepFeatures) ? new List<Tensor>(steps) : null;
        var logits = new List<Tensor>(steps);
        // h(t-1) feeds step t's blocks; zeros before the first step. Not detached: gradients cross steps.
        var hidden = InitialHidden(waveforms.shape[0], waveforms.dtype, waveforms.device);
        for (var step = 0; step < steps; step++)
        {
            var (stepLogits, next) = Step(windows.select(2, step), hidden, excitations, stepFeatures);
            logits.Add(stepLogits);
            hidden = next;
        }
        return new ModelOutput(stack(logits), hidden, StackPerBlock(excitations),
            stepFeatures is null ? null : stack(stepFeatures));
    }

    /// <summary>h(0): zeros (batch, hidden).</summary>
    public Tensor InitialHidden(long batch, ScalarType dtype = ScalarType.Float32, Device? device = null) =>
        zeros(batch, Config.HiddenSize, dtype, device);

    /// <summary>
    /// One step of the recurrence, the unit of streaming recognition: a window and h(t-1) in, the step's logits
    /// and h(t) out. The forward pass over a clip is this step over its windows, starting from
    /// <see cref="InitialHidden"/>.
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
        var hidden = cell.forward(dropout.forward(features), previousHidden);
        return (classifier.forward(hidden), hidden);
    }
}
