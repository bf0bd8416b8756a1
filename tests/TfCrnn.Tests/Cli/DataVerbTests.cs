using TfCrnn.Tests.Support;

namespace TfCrnn.Tests.Cli;

/// <summary><c>synth</c> and <c>data stats</c> as a user runs them.</summary>
public sealed class DataVerbTests
{
    [Fact]
    public async Task SynthWritesADatasetThatDataStatsCountsAsATableAndAsJson()
    {
        using var folder = new TempDirectory("cli-synth");
        var output = folder.Combine("set");

        var synth = (await CliRun.RunAsync(["synth", "--out", output, "--clips-per-word", "1", "--seed", "2",
            "--non-keyword-words", "0", "--background-noise-seconds", "0"])).Succeeded();
        Assert.Matches(@"^wrote 35 clips \(0 of non-keywords\) by \d+ voice configurations and 0 background recordings to .+ \(train \d+, valid \d+, test \d+\)\s*$", synth.Stdout);
        Assert.Equal(35, Directory.GetFiles(output, "*.wav", SearchOption.AllDirectories).Length);

        var json = (await CliRun.RunAsync(["data", "stats", "--data", output, "--json"])).Succeeded().Json();
        Assert.Equal(["splits", "short_clips", "labels", "background_noise"], json.AsObject().Select(p => p.Key));
        Assert.Equal(["train", "valid", "test"], json["splits"]!.AsObject().Select(p => p.Key));
        Assert.Equal(35, json["splits"]!.AsObject().Sum(s => (int)s.Value!["clips"]!));
        Assert.Equal((35, 0, 0), ((int)json["labels"]!, (int)json["short_clips"]!, (int)json["background_noise"]!["recordings"]!));
        Assert.Equal(1, (int)json["splits"]!["train"]!["labels"]!.AsObject().First().Value!);

        var table = (await CliRun.RunAsync(["data", "stats", "--data", output, "--no-cache"])).Succeeded();
        Assert.EndsWith("35 labels, 0 clips shorter than one second, 0 background-noise recordings (0 s)", table.Stdout.TrimEnd());
        Assert.Contains("backward", table.Stdout);
        CliLog.Write(synth);
        CliLog.Write(table);
    }

    [Fact]
    public async Task DataStatsWarnsAboutUnusableClipsAndCountsTheRest()
    {
        using var folder = new TempDirectory("cli-stats");
        MiniDataset.Create(folder.Path, ["yes"]);
        File.WriteAllText(folder.Combine("yes", "ffffffff_nohash_0.wav"), "broken");

        var result = (await CliRun.RunAsync(["data", "stats", "--data", folder.Path, "--json"])).Succeeded();
        Assert.Contains("warning: ", result.Stderr);
        Assert.Contains("ffffffff_nohash_0.wav", result.Stderr);
        Assert.Equal(MiniDataset.Speakers.Length, result.Json()["splits"]!.AsObject().Sum(s => (int)s.Value!["clips"]!));
    }
}
