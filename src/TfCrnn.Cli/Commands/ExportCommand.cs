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
        var output = SharedOptions.Output($"Folder to write {OnnxMetadata.ClipFile} and {OnnxMetadata.StepFile} into");
        var command = new Command("export",
            $"Export a checkpoint as ONNX (opset {OnnxExport.Opset}): {OnnxMetadata.ClipFile} (waveform → logits of every step) and " +
            $"{OnnxMetadata.StepFile} (window + state → logits + state, for streaming), BatchNorm folded, labels and framing in the metadata.")
        {
            checkpoint, output,
        };
        command.SetAction(parse =>
        {
            var result = OnnxExport.Run(new ExportOptions
            {
                Checkpoint = parse.GetRequiredValue(checkpoint),
                OutputDirectory = parse.GetRequiredValue(output),
            });
            Console.WriteLine($"{result.Config.Variant}: wrote {result.ClipPath} and {result.StepPath}");
            return ExitCodes.Success;
        });
        return command;
    }
}
