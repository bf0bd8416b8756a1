using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TfCrnn.Training;

/// <summary>
/// SGD with Nesterov momentum (PyTorch's formulation: b = μ·b + g; p -= lr·(g + μ·b)), the
/// paper's optimizer. It is TorchSharp's <see cref="SGD"/> (same state, param groups and saved
/// form) with a step that holds its scalar operands in variables until every native call has
/// returned: TorchSharp's own step passes temporary <see cref="Scalar"/>s whose finalizer the GC may
/// run while libtorch still reads them, which after a few hundred batches fails with "Expected false
/// to be true" from <c>Scalar::toFloat</c>.
/// </summary>
internal sealed class NesterovSgd : SGD
{
    public NesterovSgd(IEnumerable<Parameter> parameters, double learningRate, double momentum)
        : base(parameters, learningRate, momentum, nesterov: true)
    {
    }

    /// <summary>One update of every parameter that has a gradient; closures are not supported (returns null).</summary>
    public override Tensor step(Func<Tensor>? closure = null)
    {
        if (closure is not null) throw new NotSupportedException("NesterovSgd does not evaluate closures");
        using var noGrad = no_grad();
        using var one = 1.0.ToScalar();
        foreach (var group in _parameter_groups)
        {
            var options = (Options)group.Options;
            using var momentum = options.momentum!.Value.ToScalar();
            using var negativeRate = (-options.LearningRate!.Value).ToScalar();
            foreach (var parameter in group.Parameters)
            {
                using var gradient = parameter.grad;
                if (gradient is null) continue;
                var state = (State)_state[parameter.Handle];
                if (state.momentum_buffer is null)
                    state.momentum_buffer = gradient.clone().detach().DetachFromDisposeScope();
                else
                    state.momentum_buffer.mul_(momentum).add_(gradient, one);
                using var update = gradient.add(state.momentum_buffer, momentum);
                parameter.add_(update, negativeRate);
            }
        }
        return null!;
    }
}
