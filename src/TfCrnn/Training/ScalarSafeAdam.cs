using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TfCrnn.Training;

/// <summary>
/// Adam (Kingma &amp; Ba, 2015; PyTorch's formulation without weight decay or AMSGrad:
/// m = β₁·m + (1 − β₁)·g, v = β₂·v + (1 − β₂)·g², p −= lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)). It is TorchSharp's
/// <see cref="Adam"/> (same state, param groups and saved form) with a step that holds its scalar operands in
/// variables until every native call has returned, for the reason <see cref="NesterovSgd"/> gives.
/// </summary>
internal sealed class ScalarSafeAdam : Adam
{
    public ScalarSafeAdam(IEnumerable<Parameter> parameters, double learningRate)
        : base(parameters, learningRate)
    {
    }

    /// <summary>One update of every parameter that has a gradient; closures are not supported (returns null).</summary>
    public override Tensor step(Func<Tensor>? closure = null)
    {
        if (closure is not null) throw new NotSupportedException("ScalarSafeAdam does not evaluate closures");
        using var noGrad = no_grad();
        using var one = 1.0.ToScalar();
        foreach (var group in _parameter_groups)
        {
            var options = (Options)group.Options;
            if (options.weight_decay is not (null or 0) || options.amsgrad == true || options.maximize == true)
                throw new NotSupportedException("ScalarSafeAdam supports neither weight decay, AMSGrad nor maximize");
            double beta1 = options.beta1!.Value, beta2 = options.beta2!.Value;
            using var beta1Scalar = beta1.ToScalar();
            using var beta2Scalar = beta2.ToScalar();
            using var gradientShare = (1 - beta1).ToScalar();
            using var squareShare = (1 - beta2).ToScalar();
            using var epsilon = options.eps!.Value.ToScalar();
            foreach (var parameter in group.Parameters)
            {
                using var gradient = parameter.grad;
                if (gradient is null) continue;
                var state = (State)_state[parameter.Handle];
                state.step += 1;
                state.exp_avg.mul_(beta1Scalar).add_(gradient, gradientShare);
                state.exp_avg_sq.mul_(beta2Scalar).addcmul_(gradient, gradient, squareShare);
                using var rootCorrection = Math.Sqrt(1 - Math.Pow(beta2, state.step)).ToScalar();
                using var denominator = state.exp_avg_sq.sqrt();
                denominator.div_(rootCorrection).add_(epsilon, one);
                using var stepSize = (-options.LearningRate!.Value / (1 - Math.Pow(beta1, state.step))).ToScalar();
                parameter.addcdiv_(state.exp_avg, denominator, stepSize);
            }
        }
        return null!;
    }
}
