using System.Text.Json.Nodes;
using TfCrnn.Audio;
using TfCrnn.Checkpoints;
using TfCrnn.Runtime.SpeechEmbedding;
using TfCrnn.SpeechEmbedding;
using TfCrnn.Tests.SpeechEmbedding;
using TfCrnn.Tests.Support;

namespace TfCrnn.Tests.Cli;

/// <summary>
/// <c>export</c>, <c>stream</c> and <c>stream-eval</c> on a head over the speech embedding, as a user runs them (the built
/// CLI in its own process), with the stand-in encoder (<see cref="EncoderFiles.UnpinnedVariable"/>): the checkpoint on
/// both engines and its export folder hear the same, one step every 80 ms; without the encoder, one error line.
/// </summary>
public sealed class EmbeddingStreamVerbTests : IDisposable
{
    private readonly TempDirectory folder = new("embedding-stream-cli");
    private readonly string model;
    private readonly string wav;
    private readonly string labels;

    private static readonly Dictionary<string, string?> StandIn = new() { [EncoderFiles.UnpinnedVariable] = EncoderFixtures.StandIn };

    public EmbeddingStreamVerbTests()
    {
        model = folder.Combine("model");
        using (var head = TestModels.WithTrainedLookingBatchNorms(TfCrnn.Models.ModelConfig.For("embedding-tfgru") with { HiddenSize = 16 }, seed: 41))
            ModelFolder.Save(head, model);
        // Three real clips, a second apart, after half a second of quiet noise.
        var random = new Random(3);
        var audio = Enumerable.Range(0, 4 * 16000).Select(_ => (float)(0.003 * (random.NextDouble() - 0.5))).ToArray();
        var clips = EncoderFixtures.Speech(3);
        for (var c = 0; c < clips.Count; c++)
            for (var i = 0; i < clips[c].Length; i++)
                audio[8000 + c * 16000 + i] += clips[c][i];
        wav = folder.Combine("stream.wav");
        WavFile.WritePcm16(wav, audio, 16000);
        labels = folder.Combine("labels.csv");
        File.WriteAllText(labels, "start_seconds,end_seconds,word\n0.7,1.2,yes\n1.7,2.2,no\n2.7,3.2,up\n");
    }

    public void Dispose() => folder.Dispose();

    private const string Fire = "--threshold 0 --refractory 0.3";

    private static async Task<CliResult> RunAsync(string arguments, IReadOnlyDictionary<string, string?>? environment = null) =>
        await CliRun.RunAsync(arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries), environment: environment ?? StandIn);

    /// <summary>Each detection line of <c>stream --json</c>: word, start, end, score.</summary>
    private static List<(string Word, double Start, double End, double Score)> Detections(CliResult result) =>
        [.. result.Succeeded().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!).Select(d =>
            ((string)d["word"]!, (double)d["start"]!, (double)d["end"]!, (double)d["score"]!))];

    [Fact]
    public async Task TheCheckpointOnBothEnginesAndItsExportHearTheSame()
    {
        var exported = folder.Combine("exported");
        var export = (await RunAsync($"export --checkpoint {model} --out {exported}")).Succeeded();
        Assert.Equal($"embedding-tfgru: wrote {Path.Combine(exported, "clip.onnx")} and {Path.Combine(exported, "step.onnx")}, beside them " +
            $"{Path.Combine(exported, "melspectrogram.onnx")} and {Path.Combine(exported, "embedding_model.onnx")}", export.Stdout.Trim());

        var torch = Detections(await RunAsync($"stream --checkpoint {model} --engine torch --json {Fire} {wav}"));
        var onnx = Detections(await RunAsync($"stream --checkpoint {model} --engine onnx --json {Fire} {wav}"));
        // The export folder needs no encoder of its own: it holds one (and TFCRNN_UNPINNED_ENCODER is not set).
        var folderRun = Detections(await RunAsync($"stream --checkpoint {exported} --json {Fire} {wav}", new Dictionary<string, string?>()));

        // Threshold 0 and a 0.3 s refractory time: a detection at every fourth step (80 ms each), from the first.
        Assert.Equal(Enumerable.Range(0, 13).Select(i => Math.Round((4 * i + 1) * 0.08, 2)), torch.Select(d => Math.Round(d.End, 2)));
        foreach (var other in new[] { onnx, folderRun })
        {
            Assert.Equal(torch.Select(d => (d.Word, d.Start, d.End)), other.Select(d => (d.Word, d.Start, d.End)));
            Assert.Equal(torch.Select(d => d.Score), other.Select(d => d.Score), (a, b) => Math.Abs(a - b) <= 1e-3); // printed to 3 decimals
        }

        var scored = new List<JsonNode>();
        foreach (var (checkpoint, engine) in new[] { (model, "torch"), (model, "onnx"), (exported, "auto") })
        {
            var evaluation = (await RunAsync($"stream-eval --checkpoint {checkpoint} --engine {engine} --audio {wav} --labels {labels} --json {Fire}")).Succeeded();
            scored.Add(evaluation.Json());
        }
        foreach (var key in new[] { "precision", "recall", "f1", "false_alarms_per_hour" })
            Assert.All(scored, s => Assert.Equal((double)scored[0][key]!, (double)s[key]!));
        Assert.All(scored, s => Assert.True((double)s["rtf"]! > 0));
    }

    [Fact]
    public async Task WithoutRefractoryTheHeadsOwnIsUsedOnEveryEngineAndInTheExport()
    {
        var exported = folder.Combine("exported");
        (await RunAsync($"export --checkpoint {model} --out {exported}")).Succeeded();
        foreach (var (checkpoint, engine) in new[] { (model, "torch"), (model, "onnx"), (exported, "auto") })
        {
            var evaluation = (await RunAsync($"stream-eval --checkpoint {checkpoint} --engine {engine} --audio {wav} --labels {labels} --json --threshold 0")).Succeeded().Json();
            Assert.Equal(SpeechEmbeddingGeometry.RefractorySeconds, (double)evaluation["refractory_seconds"]!);
            // Threshold 0 fires as often as the refractory time lets it: every 1.5 s from 80 ms, over 4 s.
            Assert.Equal(3, (int)evaluation["detections"]!);
        }
    }

    [Fact]
    public async Task PredictOnTheExportFolderGivesTheCheckpointsWords()
    {
        var exported = folder.Combine("exported");
        (await RunAsync($"export --checkpoint {model} --out {exported}")).Succeeded();
        var clips = EncoderFixtures.Speech(3).Select((clip, i) =>
        {
            var path = folder.Combine($"clip{i}.wav");
            WavFile.WritePcm16(path, clip, 16000);
            return path;
        }).ToList();
        var cache = $"--embedding-cache {folder.Combine("cache")}";
        List<(string Word, double Probability)> Top(CliResult result) =>
            [.. result.Succeeded().Json().AsArray().SelectMany(p => p!["top"]!.AsArray()).Select(w => ((string)w!["word"]!, (double)w["probability"]!))];

        var torch = Top(await RunAsync($"predict --checkpoint {model} --engine torch --json {cache} {string.Join(' ', clips)}"));
        // The folder's clip graph takes features: its own encoder files make them (no TFCRNN_UNPINNED_ENCODER here).
        var folderRun = Top(await RunAsync($"predict --checkpoint {exported} --json {cache} {string.Join(' ', clips)}", new Dictionary<string, string?>()));

        Assert.Equal(3 * 5, torch.Count);
        Assert.Equal(torch.Select(w => w.Word), folderRun.Select(w => w.Word));
        Assert.Equal(torch.Select(w => w.Probability), folderRun.Select(w => w.Probability), (a, b) => Math.Abs(a - b) <= 1e-4);
    }

    [Fact]
    public async Task WithoutTheEncoderStreamAndExportSayHowToInstallIt()
    {
        var empty = folder.Combine("empty");
        Directory.CreateDirectory(empty);
        foreach (var command in new[]
        {
            $"stream --checkpoint {model} --encoder {empty} {wav}",
            $"stream-eval --checkpoint {model} --encoder {empty} --audio {wav} --labels {labels}",
            $"export --checkpoint {model} --encoder {empty} --out {folder.Combine("never")}",
        })
        {
            var error = (await RunAsync(command, new Dictionary<string, string?>())).FailedWith();
            Assert.Contains(Path.Combine(empty, "embedding_model.onnx"), error, StringComparison.Ordinal);
            Assert.Contains(EncoderFiles.InstallCommand, error, StringComparison.Ordinal);
        }
        Assert.False(Directory.Exists(folder.Combine("never")));
    }
}
