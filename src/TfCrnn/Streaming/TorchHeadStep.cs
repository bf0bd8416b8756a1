using TfCrnn.Models;
using TfCrnn.Runtime;
using static TorchSharp.torch;

namespace TfCrnn.Streaming;

/// <summary>
/// The TorchSharp head of a model over a frozen front end as the step after it (<see cref="IHeadStep"/>): one step's
/// features (1 or batch, F) and h(t-1) (batch, H) in, logits and h(t) out, through its <see cref="InferenceModel"/>
/// (eval mode). The front end runs before it in the runtime (<see cref="Runtime.SpeechEmbedding.SpeechEmbeddingStepModel"/>).
/// </summary>
internal sealed class TorchHeadStep(InferenceModel model) : IHeadStep
{
    private readonly int features = (int)model.Config.Model.StepInputShape(model.Config, 1)[^1];

    public StepOutput Step(float[] features, float[] state, int batch)
    {
        using var scope = NewDisposeScope();
        var input = tensor(features, [features.Length / this.features, this.features], device: model.Device);
        var (logits, hidden) = model.Step(input, tensor(state, [batch, model.Config.StateSize], device: model.Device));
        return new StepOutput(logits.cpu().data<float>().ToArray(), hidden.cpu().data<float>().ToArray());
    }

    public void Dispose() => model.Dispose();
}
