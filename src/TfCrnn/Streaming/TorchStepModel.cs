using TfCrnn.Checkpoints;
using TfCrnn.Data;
using TfCrnn.Models;
using TfCrnn.Runtime;
using static TorchSharp.torch;

namespace TfCrnn.Streaming;

/// <summary>
/// A TorchSharp model as an <see cref="IStepModel"/>, run through its <see cref="InferenceModel"/> (for the paper's
/// nine, BatchNorm folded): a recurrent model one step at a time (window (B, 1, Window) and h(t-1) in, logits and h(t)
/// out, the function of <see cref="IRecurrentModel.Step"/> in eval mode); a clip model, which has no state, over a
/// one-clip window every hop. The framing (window, hop, steps per clip) is the model's <see cref="ModelConfig.Geometry"/>.
/// </summary>
public sealed class TorchStepModel : IStepModel
{
    private readonly InferenceModel model;

    /// <summary>A snapshot of <paramref name="model"/>'s current weights; the model itself is left as it is.</summary>
    public TorchStepModel(SpeechCommandModel model, InferenceOptions? inference = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var config = model.Config;
        if (config.Model.FrontEnd.Kind == FrontEndKind.Frozen)
            throw new ArgumentException($"{config.Variant} takes the {config.Model.FrontEnd.Name} front end's features, not windows of samples: " +
                $"open it with {nameof(StepModels)}.{nameof(StepModels.Open)}, which runs the front end before it", nameof(model));
        var geometry = config.Geometry;
        Info = new StepModelInfo(config.LabelSet, SpeechCommandsDataset.SampleRate, geometry.Window, geometry.Hop, config.ClipSamples,
            geometry.StepsPerClip, config.StateSize, Preprocessing.InputScale, config.Variant, config.Model.RefractorySeconds).Validate();
        this.model = InferenceModel.Create(model, inference);
    }

    /// <summary>Loads whatever <c>--checkpoint</c> accepts (<see cref="CheckpointLocator.LoadModel"/>).</summary>
    public static TorchStepModel Load(string checkpoint, InferenceOptions? inference = null)
    {
        using var model = CheckpointLocator.LoadModel(checkpoint);
        return new TorchStepModel(model, inference);
    }

    /// <inheritdoc/>
    public StepModelInfo Info { get; }

    /// <inheritdoc/>
    public StepOutput Step(float[] windows, float[] state, int batch)
    {
        var windowLanes = Info.CheckStep(windows, state, batch);
        using var scope = NewDisposeScope();
        var input = tensor(windows, [windowLanes, 1, Info.Window], device: model.Device);
        if (Info.StateSize > 0)
        {
            var (logits, hidden) = model.Step(input, tensor(state, [batch, Info.StateSize], device: model.Device));
            return new StepOutput(logits.cpu().data<float>().ToArray(), hidden.cpu().data<float>().ToArray());
        }
        return new StepOutput(model.Forward(input.expand(batch, -1, -1))[-1].cpu().data<float>().ToArray(), []);
    }

    /// <summary>Disposes the inference snapshot.</summary>
    public void Dispose() => model.Dispose();
}
