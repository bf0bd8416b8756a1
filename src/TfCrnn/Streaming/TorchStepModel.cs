using TfCrnn.Data;
using TfCrnn.Interop;
using TfCrnn.Models;
using TfCrnn.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace TfCrnn.Streaming;

/// <summary>
/// A TorchSharp model as an <see cref="IStepModel"/>: a CRNN or TF-CRNN through <see cref="Crnn.Step"/> (window
/// (B, 1, Window) and h(t-1) in, logits and h(t) out); the CNN, which has no state, over a one-second window every hop.
/// Runs in eval mode without gradients, on the model's device.
/// </summary>
public sealed class TorchStepModel : IStepModel
{
    private readonly SpeechCommandModel model;
    private readonly bool ownsModel;
    private readonly Device device;

    /// <param name="ownsModel">Dispose <paramref name="model"/> with this step model.</param>
    public TorchStepModel(SpeechCommandModel model, bool ownsModel = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        this.model = model;
        this.ownsModel = ownsModel;
        device = model.parameters().FirstOrDefault()?.device ?? CPU;
        model.eval();
        var config = model.Config;
        Info = new StepModelInfo(config.LabelSet, SpeechCommandsDataset.SampleRate,
            config.IsRecurrent ? config.Window : config.ClipSamples, config.Hop, config.ClipSamples,
            config.IsRecurrent ? config.HiddenSize : 0, Preprocessing.Scale, config.Variant).Validate();
    }

    /// <summary>Loads whatever <c>--checkpoint</c> accepts (<see cref="CheckpointLocator.LoadModel"/>).</summary>
    public static TorchStepModel Load(string checkpoint) => new(CheckpointLocator.LoadModel(checkpoint), ownsModel: true);

    public StepModelInfo Info { get; }

    public StepOutput Step(float[] windows, float[] state, int batch)
    {
        ArgumentNullException.ThrowIfNull(windows);
        ArgumentNullException.ThrowIfNull(state);
        if (windows.Length != batch * Info.Window || state.Length != batch * Info.StateSize)
            throw new ArgumentException($"expected {batch} × {Info.Window} window samples and {batch} × {Info.StateSize} state values, " +
                $"got {windows.Length} and {state.Length}");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var input = tensor(windows, [batch, 1, Info.Window], device: device);
        if (model is Crnn crnn)
        {
            var (logits, hidden) = crnn.Step(input, tensor(state, [batch, Info.StateSize], device: device));
            return new StepOutput(logits.cpu().data<float>().ToArray(), hidden.cpu().data<float>().ToArray());
        }
        using var output = model.forward(input);
        return new StepOutput(output.LastStepLogits.cpu().data<float>().ToArray(), []);
    }

    public void Dispose()
    {
        if (ownsModel) model.Dispose();
    }
}
