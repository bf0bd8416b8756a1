using Onnx;
using static TfCrnn.Runtime.Onnx.OnnxMetadata;

namespace TfCrnn.Models.Onnx;

/// <summary>
/// The two graphs of a clip model (<see cref="ModelDeclaration.IsRecurrent"/> false), whose one step is the whole clip:
/// the clip graph, <c>waveform</c> (batch, 1, clip samples) → <c>logits</c> (1, batch, classes), and the step graph,
/// <c>window</c> (batch, 1, clip samples) → <c>logits</c> (batch, classes), without state.
/// </summary>
internal static class ClipModelGraphs
{
    /// <param name="network">
    /// Appends the model's eval-mode function to a graph: its input's name (batch, 1, clip samples) and the name its
    /// logits (batch, classes) must have (null: any) in, the logits' name out.
    /// </param>
    public static (GraphProto Clip, GraphProto Step) Write(ModelConfig config, Func<OnnxGraphBuilder, string, string?, string> network)
    {
        var clip = new OnnxGraphBuilder($"{config.Variant}-clip");
        clip.Input(WaveformInput, BatchDimension, 1, config.ClipSamples);
        clip.NamedNode(LogitsOutput, "Unsqueeze", "classifier", [network(clip, WaveformInput, null), clip.Int64s(0)]);
        clip.Output(LogitsOutput, 1, BatchDimension, config.Classes);

        var step = new OnnxGraphBuilder($"{config.Variant}-step");
        step.Input(WindowInput, BatchDimension, 1, config.Geometry.Window);
        network(step, WindowInput, LogitsOutput);
        step.Output(LogitsOutput, BatchDimension, config.Classes);
        return (clip.Graph, step.Graph);
    }
}
