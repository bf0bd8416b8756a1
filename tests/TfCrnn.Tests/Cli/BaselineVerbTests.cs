using System.Text.Json.Nodes;
using TfCrnn.Audio;
using TfCrnn.Tests.Support;
using TfCrnn.Training;

namespace TfCrnn.Tests.Cli;

/// <summary>
/// Table I's two baselines, <c>attn-crnn</c> and <c>harmonic-cnn</c>, through <c>train</c>, <c>eval</c>, <c>predict</c>,
/// <c>export</c> and <c>stream</c> as a user runs them, on <see cref="CliWorld"/>'s tiny data (bad options:
/// <see cref="CliInputErrorTests"/>).
/// </summary>
public sealed class BaselineVerbTests
{
    [Theory]
    [InlineData("attn-crnn")]
    [InlineData("harmonic-cnn")]
    public async Task EveryVerbRunsABaselineAsItRunsTheNine(string model)
    {
        var world = await CliWorld.GetAsync();
        using var folder = new TempDirectory("cli-baseline");
        var run = folder.Combine(model);
        // AttnCRNN has no width to shrink; HarmonicCNN is trained at width 8 here.
        string[] width = model == "harmonic-cnn" ? ["--width", "8"] : [];

        var trained = (await CliRun.RunAsync(["train", "--data", world.Data, "--model", model, "--out", run, "--seed", "1",
            "--batch-size", "8", "--max-epochs", "1", "--threads", "1", .. width])).Succeeded();
        Assert.Matches(@"^test accuracy \d+\.\d\d ?% \(loss [\d.]+\) at best epoch 1 of 1; ", trained.Stdout);
        Assert.Equal((model, 1), (new RunFolder(run).ReadResult().Model, new RunFolder(run).ReadResult().Epochs));

        var evaluated = (await CliRun.RunAsync(["eval", "--checkpoint", run, "--data", world.Data, "--json", "--out", folder.Combine("eval")]))
            .Succeeded().Json();
        Assert.Equal(12, (int)evaluated["clips"]!);

        // A clip model: one step over the clip, so each listed word has one probability.
        var predicted = (await CliRun.RunAsync(["predict", "--checkpoint", run, "--json", "--steps", world.StereoWav])).Succeeded().Json().AsArray();
        Assert.All(predicted[0]!["steps"]!.AsObject(), word => Assert.Single(word.Value!.AsArray()));

        var onnx = folder.Combine("onnx");
        var exported = await CliRun.SucceedAsync("export", "--checkpoint", run, "--out", onnx);
        Assert.Equal($"{model}: wrote {Path.Combine(onnx, "clip.onnx")} and {Path.Combine(onnx, "step.onnx")}", exported.Trim());
        var onOnnx = Top((await CliRun.RunAsync(["predict", "--checkpoint", onnx, "--json", world.StereoWav])).Succeeded().Json());
        var onTorch = Top((await CliRun.RunAsync(["predict", "--checkpoint", run, "--engine", "torch", "--json", world.StereoWav])).Succeeded().Json());
        Assert.Equal(onTorch.Select(w => w.Word), onOnnx.Select(w => w.Word));
        Assert.Equal(onTorch.Select(w => w.Probability), onOnnx.Select(w => w.Probability), (a, b) => Math.Abs(a - b) <= 1e-4);

        // 2.5 s slid every 100 ms as the CNNs are (the first clips padded with silence): with a threshold of 0, a detection
        // every half second from the first step on, the same on ONNX Runtime.
        var wav = folder.Combine("stream.wav");
        var random = new Random(7);
        WavFile.WritePcm16(wav, [.. Enumerable.Range(0, 40000).Select(t => (float)(0.3 * Math.Sin(t * 0.05) + 0.02 * (random.NextDouble() - 0.5)))], 16000);
        var streamed = (await CliRun.RunAsync(["stream", "--checkpoint", run, "--threshold", "0", "--refractory", "0.5", "--json", wav])).Succeeded();
        var detections = streamed.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!).ToList();
        Assert.Equal([0.1, 0.6, 1.1, 1.6, 2.1], detections.Select(d => (double)d["end"]!), (a, b) => Math.Abs(a - b) < 1e-9);
        var streamedOnOnnx = (await CliRun.RunAsync(["stream", "--checkpoint", onnx, "--threshold", "0", "--refractory", "0.5", "--json", wav])).Succeeded();
        Assert.Equal(detections.Select(d => ((string)d["word"]!, (double)d["end"]!)),
            streamedOnOnnx.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!)
                .Select(d => ((string)d["word"]!, (double)d["end"]!)));
        CliLog.Write(trained);
    }

    private static List<(string Word, double Probability)> Top(JsonNode predictions) =>
        [.. predictions.AsArray()[0]!["top"]!.AsArray().Select(w => ((string)w!["word"]!, (double)w["probability"]!))];
}
