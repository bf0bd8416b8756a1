using TfCrnn.Runtime;
using TfCrnn.Tests.Runtime;
using TfCrnn.Tests.Support;

namespace TfCrnn.Tests.Cli;

/// <summary><c>tfcrnn export</c> and <c>--engine</c> as a user runs them (the built CLI in its own process); bad input: <see cref="CliInputErrorTests"/>.</summary>
public sealed class ExportVerbTests
{
    [Fact]
    public async Task ExportWritesBothGraphsAndPredictRunsThemOnOnnx()
    {
        using var folders = OnnxEngineTests.ModelFolders.Create("tfcrnn-basic");
        using var output = new TempDirectory("cli-export");
        var wav = output.Combine("tone.wav");
        TfCrnn.Audio.WavFile.WritePcm16(wav, ToneDataset.Tone(2, new Random(1)), 16000);

        var stdout = await CliRun.SucceedAsync("export", "--checkpoint", folders.Model, "--out", output.Combine("onnx"));
        Assert.Equal($"tfcrnn-basic: wrote {output.Combine("onnx", "clip.onnx")} and {output.Combine("onnx", "step.onnx")}", stdout.Trim());
        Assert.True(ExportedModel.IsExportedFolder(output.Combine("onnx")));

        var onnx = await CliRun.SucceedAsync("predict", "--checkpoint", output.Combine("onnx"), "--top", "2", wav);
        var torch = await CliRun.SucceedAsync("predict", "--checkpoint", folders.Model, "--engine", "torch", "--top", "2", wav);
        Assert.Equal(torch.Split(',')[0], onnx.Split(',')[0]); // "FILE: word p" of the best word
        Assert.StartsWith($"{wav}: ", onnx);
    }
}
