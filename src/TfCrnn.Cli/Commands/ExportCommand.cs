using System.CommandLine;
using TfCrnn.Interop.Onnx;
using TfCrnn.Runtime.Onnx;

namespace TfCrnn.Cli.Commands;

/// <summary><c>tfcrnn export</c>: ONNX graphs of a checkpoint (<see cref="OnnxExport.Run"/>).</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var checkpoint = SharedOptions.Checkpoint();
        var output = SharedOptions.Output($"Folder to write {OnnxMetadata.ClipFile} and {OnnxMetadata.StepFile} into " +
            "(and, for a model over the speech embedding, the encoder's two files)");
        var encoder = SharedOptions.Encoder();
        var command = new Command("export",
            $"Export a checkpoint as ONNX (opset {OnnxExport.Opset}): {OnnxMetadata.ClipFile} (waveform → logits of every step) and " +
            $"{OnnxMetadata.StepFile} (window + state → logits + state, for streaming), BatchNorm folded, labels and framing in the metadata. " +
            "A model over the speech embedding: its graphs take the embedding's features, and the encoder's two graphs are copied beside them.")
        {
            checkpoint, output, encoder,
        };
        command.SetAction(parse =>
        {
            var result = OnnxExport.Run(new ExportOptions
            {
                Checkpoint = parse.GetRequiredValue(checkpoint),
                OutputDirectory = parse.GetRequiredValue(output),
                EncoderDirectory = parse.GetValue(encoder),
            });
            Console.WriteLine($"{result.Config.Variant}: wrote {result.ClipPath} and {result.StepPath}" +
                (result.FrontEndPaths.Count == 0 ? "" : $", beside them {string.Join(" and ", result.FrontEndPaths)}"));
            return ExitCodes.Success;
        });
        return command;
    }
}
