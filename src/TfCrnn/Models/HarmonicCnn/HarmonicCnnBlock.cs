using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using BatchNorm2d = TfCrnn.Models.Layers.BatchNorm2d;

namespace TfCrnn.Models.HarmonicCnn;

/// <summary>
/// One of HarmonicCNN's seven 3×3 convolution layers, each followed by max-pooling (Won et al. 2020, Section 3): where
/// the channels change, maxpool(ReLU(BN(conv3×3(x)))); elsewhere the residual form
/// maxpool(ReLU(x + BN(conv3×3(ReLU(BN(conv3×3(x))))))). (batch, Cin, F, T) → (batch, C, F div pF, T div pT).
/// </summary>
internal sealed class HarmonicCnnBlock : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv0;
    private readonly BatchNorm2d norm0;
    private readonly Conv2d? conv1;
    private readonly BatchNorm2d? norm1;
    private readonly long[] pool;

    /// <param name="pool">Max-pooling kernel and stride over (frequency, time).</param>
    public HarmonicCnnBlock(int inChannels, int channels, (int Frequency, int Time) pool) : base(nameof(HarmonicCnnBlock))
    {
        conv0 = nn.Conv2d(inChannels, channels, kernel_size: 3, padding: 1);
        norm0 = new BatchNorm2d(channels);
        if (inChannels == channels)
        {
            conv1 = nn.Conv2d(channels, channels, kernel_size: 3, padding: 1);
            norm1 = new BatchNorm2d(channels);
        }
        this.pool = [pool.Frequency, pool.Time];
        RegisterComponents();
    }

    /// <summary>Whether the block adds its input back (same channels in and out).</summary>
    public bool IsResidual => conv1 is not null;

    /// <summary>The max-pooling kernel over (frequency, time).</summary>
    public IReadOnlyList<long> Pool => pool;

    public override Tensor forward(Tensor input)
    {
        using var convolved0 = conv0.forward(input);
        var features = norm0.forward(convolved0);
        features.relu_(); // in place: BN's backward needs its input, not its output
        if (conv1 is not null)
        {
            using var hidden = features;
            using var convolved1 = conv1.forward(hidden);
            features = norm1!.forward(convolved1);
            using var one = 1.ToScalar();
            features.add_(input, one).relu_();
        }
        using (features)
            return nn.functional.max_pool2d(features, pool, pool);
    }
}
