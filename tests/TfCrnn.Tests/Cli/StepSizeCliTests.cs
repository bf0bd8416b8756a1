using System.Text.Json;
using TfCrnn.Analysis;
using TfCrnn.Tests.Support;
using TfCrnn.Training;

namespace TfCrnn.Tests.Cli;

/// <summary>
/// <c>--step-ms</c> / <c>--window-ms</c> on the verbs that build a model, run as a user runs them; bad steps are among
/// <see cref="CliInputErrorTests.Cases"/>.
/// </summary>
public sealed class StepSizeCliTests
{
    [Fact]
    public async Task InfoListsTheRecurrentVariantsAtTheStepAndTheCnnAtItsOneConfiguration()
    {
        using var json = JsonDocument.Parse(await CliRun.SucceedAsync("info", "--json", "--width", "16", "--step-ms", "12.5"));
        var rows = json.RootElement.EnumerateArray().ToDictionary(r => r.GetProperty("model").GetString()!);
        Assert.Equal((79, 400, 200, 4), Shape(rows["tfcrnn-se"]));
        Assert.Equal((79, 400, 200, 4), Shape(rows["crnn-basic"]));
        Assert.Equal((1, 16000, 16000, 7), Shape(rows["cnn-se"]));

        using var window = JsonDocument.Parse(await CliRun.SucceedAsync("info", "--json", "--window-ms", "150"));
        Assert.Equal((11, 2400, 1200, 6), Shape(window.RootElement.EnumerateArray().Single(r => r.GetProperty("model").GetString() == "crnn-se")));

        static (int, int, int, int) Shape(JsonElement row) => (row.GetProperty("steps").GetInt32(), row.GetProperty("window").GetInt32(),
            row.GetProperty("hop").GetInt32(), row.GetProperty("blocks").GetInt32());
    }

    [Fact]
    public async Task ImportChecksTheAuthors50MsFixture()
    {
        using var folder = new TempDirectory("import-step");
        var fixtures = ReferenceFixtures.Step50Ms;
        var output = await CliRun.SucceedAsync("import", "--from-pytorch", fixtures.File("tfcrnn-resse.pt"), "--model", "tfcrnn-resse",
            "--width", "16", "--step-ms", "50", "--out", folder.Combine("model"), "--check", fixtures.File("tfcrnn-resse.io.pt"));

        Assert.Contains("predictions equal\nparity ok\nwrote ", output);
        Assert.Contains("excitation.block4 max_abs_diff=", output);
        Assert.DoesNotContain("excitation.block5", output);
        using var config = JsonDocument.Parse(File.ReadAllText(folder.Combine("model", "config.json")));
        Assert.Equal((1600, 800), (config.RootElement.GetProperty("window").GetInt32(), config.RootElement.GetProperty("hop").GetInt32()));
    }

    [Fact]
    public async Task TrainAtAStepStoresItAndEvalAndPredictFollowIt()
    {
        using var data = new ToneDataset(trainPerWord: 4, validPerWord: 1, testPerWord: 1);
        using var folder = new TempDirectory("train-step");
        var run = folder.Combine("run");
        await CliRun.SucceedAsync("train", "--data", data.Path, "--model", "tfcrnn-basic", "--step-ms", "50", "--width", "8",
            "--max-epochs", "1", "--batch-size", "8", "--threads", "1", "--out", run);

        var saved = new RunFolder(run).ReadConfig();
        Assert.Equal((1600, 800, 19), (saved.Model.Window, saved.Model.Hop, saved.Model.Steps));
        Assert.Equal(50, saved.Training.StepMs);
        using var predictions = JsonDocument.Parse(await CliRun.SucceedAsync("predict", "--checkpoint", run, "--steps", "--json",
            Path.Combine(data.Path, "go", Directory.GetFiles(Path.Combine(data.Path, "go"))[0])));
        var perStep = predictions.RootElement[0].GetProperty("steps").EnumerateObject().First().Value;
        Assert.Equal(19, perStep.GetArrayLength());
        Assert.Contains("accuracy", await CliRun.SucceedAsync("eval", "--checkpoint", run, "--data", data.Path, "--split", "test",
            "--out", folder.Combine("eval")));
    }
}
