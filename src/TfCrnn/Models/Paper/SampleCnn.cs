using TfCrnn.Models.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TfCrnn.Models.Paper;

/// <summary>
/// The SampleCNN family (<c>cnn-*</c>): stem and 7 blocks over the whole clip, global max over time,
/// dropout, Linear → logits (1, batch, classes).
/// </summary>
internal sealed class SampleCnn : BlockStackModel
{
    private readonly ParallelDropout dropout;
    private readonly Linear classifier;

    public SampleCnn(ModelConfig config) : base(config)
    {
        dropout = new ParallelDropout(config.HeadDropout);
        classifier = nn.Linear(ModelArchitecture.FeatureChannels(config), config.Classes);
        RegisterComponents();
    }

    public override ModelOutput Forward(Tensor waveforms, ForwardExtras extras)
    {
        var excitations = ExcitationCollector(extras);
        using var features = PooledFeatures(waveforms, previousHidden: null, excitations);
        using var dropped = dropout.forward(features);
        using var logits = classifier.forward(dropped);
        return new ModelOutput(logits.unsqueeze(0), null, StackPerBlock(excitations),
            extras.HasFlag(ForwardExtras.StepFeatures) ? features.unsqueeze(0) : null);
    }

    /// <summary>A copy of the classifier for inference; the CNN has no GRU cell.</summary>
    internal override (GRUCell? Cell, Linear Classifier) HeadForInference() =>
        (null, CopyForInference(classifier, nn.Linear(ModelArchitecture.FeatureChannels(Config), Config.Classes)));
}
