using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TfCrnn.Models.Layers;

/// <summary>
/// Batch normalisation over dimension 1 as PyTorch's BatchNorm layers (eps 1e-5, momentum 0.1, affine, running
/// statistics), with PyTorch's parameter and buffer names; <see cref="BatchNorm1d"/> and <see cref="BatchNorm2d"/>
/// name the input's rank. (batch, C, ...) → (batch, C, ...).
/// </summary>
/// <remarks>
/// Ours rather than TorchSharp's because TorchSharp 0.107's BatchNorm counts batches with
/// <c>num_batches_tracked.add_(1)</c>, whose temporary <see cref="Scalar"/> the GC may finalize
/// while libtorch still reads it: long training runs crashed with "Unknown scalar type" or a
/// <c>Scalar::toLong</c> check. Here the scalars live until the call has returned; the alpha is
/// passed explicitly because the one-argument <c>add_</c> makes a temporary alpha of its own.
/// </remarks>
internal abstract class BatchNorm : nn.Module<Tensor, Tensor>
{
    internal const double Epsilon = 1e-5;
    private const double Momentum = 0.1;

    // Field names are the state-dict names: TorchSharp maps fields to components by name (protected, so that the
    // subclass's RegisterComponents sees them).
    protected readonly Parameter weight;
    protected readonly Parameter bias;
    protected readonly Tensor running_mean;
    protected readonly Tensor running_var;
    protected readonly Tensor num_batches_tracked;

    protected BatchNorm(string name, long features) : base(name)
    {
        weight = new Parameter(ones(features));
        bias = new Parameter(zeros(features));
        running_mean = zeros(features);
        running_var = ones(features);
        num_batches_tracked = tensor(0L);
        RegisterComponents();
    }

    internal Tensor Weight => weight;
    internal Tensor Bias => bias;
    internal Tensor RunningMean => running_mean;
    internal Tensor RunningVar => running_var;

    public override Tensor forward(Tensor input)
    {
        if (training)
        {
            using var one = 1L.ToScalar();
            num_batches_tracked.add_(one, one);
        }
        return nn.functional.batch_norm(input, running_mean, running_var, weight, bias, training, Momentum, Epsilon);
    }
}
