using TfCrnn.Models.Blocks;
using TorchSharp;
using static TorchSharp.torch;

namespace TfCrnn.Models;

/// <summary>
/// Folds an eval-mode BatchNorm into the convolution it follows: BN(conv(x)) = conv'(x) with, per output
/// channel c, W'[c] = W[c] · γ[c] / √(σ²[c] + ε) and b'[c] = (b[c] − μ[c]) · γ[c] / √(σ²[c] + ε) + β[c].
/// Exact in real arithmetic; in float32 the folded layer differs from conv then BN by rounding (~1e-7 relative).
/// Only for inference: in training BN normalises with the batch's own statistics.
/// </summary>
internal static class BatchNormFolding
{
    /// <summary>The folded weight and bias, in the dtype and on the device of <paramref name="convWeight"/>.</summary>
    /// <param name="convWeight">(Cout, Cin, K) or any shape whose first dimension is the output channel.</param>
    /// <param name="convBias">(Cout), or null for a convolution without bias.</param>
    /// <param name="gamma">BN weight γ, (Cout).</param>
    /// <param name="beta">BN bias β, (Cout).</param>
    /// <param name="runningMean">BN running mean μ, (Cout).</param>
    /// <param name="runningVar">BN running variance σ², (Cout).</param>
    /// <param name="epsilon">BN ε (1e-5, PyTorch's default and the paper's models').</param>
    public static (Tensor Weight, Tensor Bias) Fold(Tensor convWeight, Tensor? convBias, Tensor gamma, Tensor beta,
        Tensor runningMean, Tensor runningVar, double epsilon = BatchNorm1d.Epsilon)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        // Not `σ² + ε` nor `a + b`: TorchSharp's operators pass temporary Scalars (the ε, an alpha of 1) that the GC
        // may finalize while libtorch reads them (docs/torchsharp-scalars.md); these live until the calls return.
        using var eps = epsilon.ToScalar();
        using var one = 1.ToScalar();
        // Float64 so that the folded float32 weights are the correctly rounded products.
        var scale = gamma.to(float64) / runningVar.to(float64).add(eps, one).sqrt();
        var shape = new long[convWeight.dim()];
        Array.Fill(shape, 1L);
        shape[0] = -1;
        var weight = convWeight.to(float64) * scale.view(shape);
        var bias = (((convBias?.to(float64) ?? zeros_like(scale)) - runningMean.to(float64)) * scale).add(beta.to(float64), one);
        return (weight.to(convWeight.dtype).MoveToOuterDisposeScope(), bias.to(convWeight.dtype).MoveToOuterDisposeScope());
    }

    /// <summary><see cref="Fold(Tensor, Tensor?, Tensor, Tensor, Tensor, Tensor, double)"/> of a model's conv and BN pair.</summary>
    internal static (Tensor Weight, Tensor Bias) Fold(TorchSharp.Modules.Conv1d conv, BatchNorm1d norm) =>
        Fold(conv.weight!, conv.bias, norm.Weight, norm.Bias, norm.RunningMean, norm.RunningVar);
}
