using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TfCrnn.Models;

/// <summary>
/// The recurrent families: CRNN (<c>crnn-*</c>) and TF-CRNN (<c>tfcrnn-*</c>). The clip is cut into windows of
/// <see cref="ModelConfig.Window"/> samples every <see cref="ModelConfig.Hop"/>; per step the shared trunk
/// (stem + blocks, fed h(t-1)) is max-pooled over time, passed through dropout and a GRU cell, and the new
/// state is classified. The families differ only in their blocks: TF blocks use h(t-1), the others ignore it.
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
        var windows = waveforms.unfold(2, Config.Window, Config.Hop); // (batch, 1, steps, window)
        var steps = (int)windows.shape[2];
        var excitations = ExcitationCollector(extras);
        var stepFeatures = extras.HasFlag(ForwardExtras.StepFeatures) ? new List<Tensor>(steps) : null;
        var logits = new List<Tensor>(steps);
        // h(t-1) feeds step t's blocks; zeros before the first step. Not detached: gradients cross steps.
        var hidden = zeros(waveforms.shape[0], Config.HiddenSize, waveforms.dtype, waveforms.device);
        for (var step = 0; step < steps; step++)
        {
            var features = PooledFeatures(windows.select(2, step), hidden, excitations);
            stepFeatures?.Add(features);
            hidden = cell.forward(dropout.forward(features), hidden);
            logits.Add(classifier.forward(hidden));
        }
        return new ModelOutput(stack(logits), hidden, StackPerBlock(excitations),
            stepFeatures is null ? null : stack(stepFeatures));
    }
}
