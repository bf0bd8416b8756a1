using TorchSharp;
using static TorchSharp.torch;

namespace TfCrnn.Interop.Onnx;

/// <summary>
/// Folds an inference-mode BatchNorm into the convolution before it: BN(conv(x)) = conv'(x) with
/// w' = w · γ / √(σ² + ε) per output channel and b' = (b − μ) · γ / √(σ² + ε) + β.
/// </summary>
public static class BatchNormFolding
{
    /// <summary>The models' BatchNorm epsilon (PyTorch's default, which the paper's code keeps).</summary>
    public const double Epsilon = 1e-5;

    /// <param name="weight">Convolution weight (C, Cin, K).</param>
    /// <param name="bias">Convolution bias (C).</param>
    /// <param name="gamma">BatchNorm weight γ (C).</param>
    /// <param name="beta">BatchNorm bias β (C).</param>
    /// <param name="runningMean">μ (C).</param>
    /// <param name="runningVar">σ² (C).</param>
    /// <returns>The folded weight (C, Cin, K) and bias (C), float32, computed in float64.</returns>
    public static (Tensor Weight, Tensor Bias) Fold(Tensor weight, Tensor bias, Tensor gamma, Tensor beta,
        Tensor runningMean, Tensor runningVar, double epsilon = Epsilon)
    {
        using var scope = NewDisposeScope();
        using var eps = epsilon.ToScalar();
        var scale = gamma.to(float64) / (runningVar.to(float64) + eps).sqrt();
        var foldedWeight = weight.to(float64) * scale.view(-1, 1, 1);
        var foldedBias = (bias.to(float64) - runningMean.to(float64)) * scale + beta.to(float64);
        return (foldedWeight.to(float32).MoveToOuterDisposeScope(), foldedBias.to(float32).MoveToOuterDisposeScope());
    }
}
