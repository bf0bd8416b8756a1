using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TfCrnn.Models;

/// <summary>
/// The SampleCNN family (<c>cnn-*</c>): stem and 7 blocks over the whole clip, global max over time,
/// dropout, Linear → logits (1, batch, classes).
/// </summary>
public sealed class SampleCnn : SpeechCommandModel
{
    private readonly Dropout dropout;
    private readonly Linear classifier;

    public SampleCnn(ModelConfig config) : base(config)
    {
        dropout = nn.Dropout(config.HeadDropout);
        classifier = nn.Linear(ModelArchitecture.FeatureChannels(config), config.Classes);
        RegisterComponents();
    }

    public override ModelOutput Forward(Tensor waveforms, ForwardExtras extras)
    {
        var excitations = ExcitationCollector(extras);
        var features = PooledFeatures(waveforms, previousHidden: null, excitations);
        var logits = classifier.forward(dropout.forward(features)).unsqueeze(0);
        return new ModelOutput(logits, null, StackPerBlock(excitations),
            extras.HasFlag(ForwardExtras.StepFeatures) ? features.unsqueeze(0) : null);
    }
}
