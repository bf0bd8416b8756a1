using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TfCrnn.Models.Layers;

/// <summary>
/// The excitation MLP shared by every SE and TF block of the paper and by the gate of the embedding heads:
/// sigmoid(linear1(ReLU(linear0(v)))), (batch, inputs) → (batch, channels) scales in (0, 1).
/// </summary>
internal sealed class Excitation : nn.Module<Tensor, Tensor>
{
    private readonly Linear linear0;
    private readonly Linear linear1;

    public Excitation(int inputs, int bottleneck, int channels) : base(nameof(Excitation))
    {
        linear0 = nn.Linear(inputs, bottleneck);
        linear1 = nn.Linear(bottleneck, channels);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var bottleneck = linear0.forward(input);
        using var activated = nn.functional.relu(bottleneck);
        using var logits = linear1.forward(activated);
        return nn.functional.sigmoid(logits);
    }

    /// <summary>The bottleneck layer, inputs → bottleneck.</summary>
    internal Linear Linear0 => linear0;

    /// <summary>The expanding layer, bottleneck → channels.</summary>
    internal Linear Linear1 => linear1;
}
