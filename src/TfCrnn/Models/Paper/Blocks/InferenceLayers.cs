using TfCrnn.Models.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using BatchNorm1d = TfCrnn.Models.Layers.BatchNorm1d;

namespace TfCrnn.Models.Paper.Blocks;

/// <summary>
/// A convolution with its BatchNorm folded in (<see cref="BatchNormFolding"/>), run as a 2-D convolution with a
/// (1, K) kernel over (batch, C, 1, L) feature maps in channels-last layout: oneDNN computes that layout without
/// reordering the input and output around every call (about 1.5× the speed of the plain 1-D layout here).
/// </summary>
internal sealed class FoldedConvolution : IDisposable
{
    private readonly Tensor weight; // (Cout, Cin, 1, K), channels-last
    private readonly Tensor bias;   // (Cout)
    private readonly long[] stride;
    private readonly long[] padding;

    public FoldedConvolution(Conv1d conv, BatchNorm1d norm, ScalarType dtype)
    {
        var (w, b) = BatchNormFolding.Fold(conv, norm);
        using (w)
        using (var typed = w.to_type(dtype))
        using (var planar = typed.unsqueeze(2))
            weight = ChannelsLast(planar);
        using (b) bias = b.to_type(dtype, copy: true);
        stride = [1, conv.stride[0]];
        padding = [0, conv.padding![0]];
    }

    /// <param name="input">(batch, Cin, 1, L).</param>
    /// <returns>(batch, Cout, 1, L'), channels-last.</returns>
    public Tensor Apply(Tensor input) => nn.functional.conv2d(input, weight, bias, stride, padding);

    /// <summary>A copy of a 4-D tensor in channels-last layout (strides C·W·H, 1, W·C, C).</summary>
    public static Tensor ChannelsLast(Tensor planar)
    {
        using var nhwc = planar.permute(0, 2, 3, 1);
        using var packed = nhwc.contiguous();
        return packed.permute(0, 3, 1, 2);
    }

    public void Dispose()
    {
        weight.Dispose();
        bias.Dispose();
    }
}

/// <summary>
/// The stem for inference: ReLU(conv'(x)) with the BN folded in. Its kernel equals its stride, so the padded
/// input cut into frames of 3 samples makes the convolution one matrix product, (batch, L', 3) × (3, width),
/// whose (batch, L', width) result already is the channels-last feature map; oneDNN's one-channel convolution
/// is about half as fast.
/// </summary>
internal sealed class InferenceStem : IDisposable
{
    private readonly Tensor weight; // (width, kernel)
    private readonly Tensor bias;   // (width)
    private readonly int kernel;

    public InferenceStem(Conv1d conv, BatchNorm1d norm, ScalarType dtype)
    {
        kernel = (int)conv.kernel_size[0];
        if (conv.stride[0] != kernel || conv.padding![0] != 1 || conv.weight!.shape[1] != 1)
            throw new ArgumentException("the stem must have one input channel, stride = kernel and padding 1", nameof(conv));
        var (w, b) = BatchNormFolding.Fold(conv, norm);
        using (w)
        using (var typed = w.to_type(dtype))
            weight = typed.view(w.shape[0], kernel).contiguous();
        using (b) bias = b.to_type(dtype, copy: true);
    }

    /// <param name="input">(batch, 1, L) in the stem's dtype.</param>
    /// <returns>(batch, width, 1, floor((L − 1) / kernel) + 1), channels-last, after the ReLU.</returns>
    public Tensor Apply(Tensor input)
    {
        var (batch, length) = (input.shape[0], input.shape[2]);
        var frames = (length - 1) / kernel + 1;
        // Zero padding: one sample in front (the convolution's padding), and at the end what the last frame lacks.
        using var padded = nn.functional.pad(input, [1, frames * kernel - length - 1]);
        using var framed = padded.view(batch, frames, kernel);
        using var features = nn.functional.linear(framed, weight, bias); // (batch, frames, width)
        features.relu_();
        using var planar = features.view(batch, 1, frames, -1);
        return planar.permute(0, 3, 1, 2);
    }

    public void Dispose()
    {
        weight.Dispose();
        bias.Dispose();
    }
}

/// <summary>The convolutional trunk of a block for inference: (batch, Cin, 1, L) → (batch, C, 1, floor(L / 3)).</summary>
internal abstract class InferenceTrunk : IDisposable
{
    public abstract Tensor Apply(Tensor input);

    public abstract void Dispose();

    /// <summary>relu(maxpool3(y)), which equals maxpool3(relu(y)) (ReLU is monotone) at a third of the ReLU's work.</summary>
    protected static Tensor PoolThenRelu(Tensor features)
    {
        var pooled = nn.functional.max_pool2d(features, [1, ModelArchitecture.Kernel], [1, ModelArchitecture.Kernel]);
        pooled.relu_();
        return pooled;
    }
}

/// <summary>Basic trunk: relu(maxpool3(conv'(x))), conv' with the BN folded in.</summary>
internal sealed class BasicInferenceTrunk(FoldedConvolution conv) : InferenceTrunk
{
    public override Tensor Apply(Tensor input)
    {
        using var features = conv.Apply(input);
        return PoolThenRelu(features);
    }

    public override void Dispose() => conv.Dispose();
}

/// <summary>Res trunk: relu(maxpool3(conv1'(relu(conv0'(x))) + shortcut(x))), every BN folded in.</summary>
internal sealed class ResidualInferenceTrunk(FoldedConvolution conv0, FoldedConvolution conv1, FoldedConvolution? projection)
    : InferenceTrunk
{
    public override Tensor Apply(Tensor input)
    {
        Tensor sum;
        using (var inner = conv0.Apply(input))
        {
            inner.relu_();
            sum = conv1.Apply(inner);
        }
        using (sum)
        {
            using var one = 1.ToScalar();
            if (projection is null) sum.add_(input, one);
            else
            {
                using var shortcut = projection.Apply(input);
                sum.add_(shortcut, one);
            }
            return PoolThenRelu(sum);
        }
    }

    public override void Dispose()
    {
        conv0.Dispose();
        conv1.Dispose();
        projection?.Dispose();
    }
}

/// <summary>What an excitation MLP reads: the squeeze (SE), h(t-1) (TF-Basic), or both (TF-SE, TF-Res-SE).</summary>
internal enum ExcitationInput { Squeeze, Hidden, SqueezeAndHidden }

/// <summary>The inference forms of the excitation MLP (<see cref="Excitation"/>).</summary>
internal static class ExcitationInference
{
    /// <summary>A frozen copy of <paramref name="excitation"/>'s weights that takes <paramref name="input"/>.</summary>
    public static InferenceExcitation ForInference(this Excitation excitation, ExcitationInput input) =>
        new(excitation.Linear0, excitation.Linear1, input);
}

/// <summary>The excitation MLP for inference, in float32 whatever the trunk's precision (it is tiny).</summary>
internal sealed class InferenceExcitation : IDisposable
{
    private readonly Tensor weight0, bias0, weight1, bias1;
    private readonly ExcitationInput input;

    public InferenceExcitation(Linear linear0, Linear linear1, ExcitationInput input)
    {
        weight0 = linear0.weight!.detach().clone();
        bias0 = linear0.bias!.detach().clone();
        weight1 = linear1.weight!.detach().clone();
        bias1 = linear1.bias!.detach().clone();
        this.input = input;
    }

    /// <summary>
    /// Scales every channel of <paramref name="features"/> (batch, C, 1, L), which it takes over: in place, or, for
    /// one window heard by several lanes (features of batch 1, h(t-1) of batch B), into a new (B, C, 1, L) tensor.
    /// </summary>
    public Tensor Excite(Tensor features, Tensor? previousHidden)
    {
        using var scales = Scales(features, previousHidden);
        using var typed = scales.to_type(features.dtype);
        using var broadcast = typed.view(scales.shape[0], scales.shape[1], 1, 1);
        if (broadcast.shape[0] == features.shape[0])
        {
            features.mul_(broadcast);
            return features;
        }
        using (features)
            return features.mul(broadcast);
    }

    private Tensor Scales(Tensor features, Tensor? previousHidden)
    {
        using var scope = NewDisposeScope();
        Tensor Squeeze() => features.mean([2, 3]).to_type(ScalarType.Float32);
        Tensor Hidden() => previousHidden ?? throw new InvalidOperationException("temporal-feedback blocks need the previous GRU state");
        var v = input switch
        {
            ExcitationInput.Squeeze => Squeeze(),
            ExcitationInput.Hidden => Hidden(),
            _ => cat([Squeeze().expand(Hidden().shape[0], -1), Hidden()], 1),
        };
        var hidden = nn.functional.linear(v, weight0, bias0).relu_();
        return nn.functional.linear(hidden, weight1, bias1).sigmoid_().MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        weight0.Dispose();
        bias0.Dispose();
        weight1.Dispose();
        bias1.Dispose();
    }
}

/// <summary>
/// A block for inference: its trunk with every BatchNorm folded in, then, for excited blocks, the channel scales
/// applied in place. (batch, Cin, 1, L) → (batch, C, 1, floor(L / 3)); the same function as the block in eval mode.
/// </summary>
internal sealed class InferenceBlock(InferenceTrunk trunk, InferenceExcitation? excitation) : IDisposable
{
    public Tensor Forward(Tensor input, Tensor? previousHidden)
    {
        var features = trunk.Apply(input);
        return excitation is null ? features : excitation.Excite(features, previousHidden);
    }

    public void Dispose()
    {
        trunk.Dispose();
        excitation?.Dispose();
    }
}
