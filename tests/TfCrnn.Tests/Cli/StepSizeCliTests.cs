using System.Text.Json;
using TfCrnn.Analysis;
using TfCrnn.Tests.Support;
using TfCrnn.Training;

namespace TfCrnn.Tests.Cli;

/// <summary><c>--step-ms</c> / <c>--window-ms</c> on the verbs that build a model, run as a user runs them.</summary>
public sealed class StepSizeCliTests
{
    [Fact]
    public async Task Info_lists_the_recurrent_variants_at_the_step_and_the_cnn_at_its_one_configuration()
    {
        using var json = JsonDocument.Parse(await CliProcess.SucceedAsync("info", "--json", "--width", "16", "--step-ms", "12.5"));
        var rows = json.RootElement.EnumerateArray().ToDictionary(r => r.GetProperty("model").GetString()!);
        Assert.Equal((79, 400, 200, 4), Shape(rows["tfcrnn-se"]));
        Assert.Equal((79, 400, 200, 4), Shape(rows["crnn-basic"]));
        Assert.Equal((1, 16000, 16000, 7), Shape(rows["cnn-se"]));

        using var window = JsonDocument.Parse(await CliProcess.SucceedAsync("info", "--json", "--window-ms", "150"));
        Assert.Equal((11, 2400, 1200, 6), Shape(window.RootElement.EnumerateArray().Single(r => r.GetProperty("model").GetString() == "crnn-se")));

        static (int, int, int, int) Shape(JsonElement row) => (row.GetProperty("steps").GetInt32(), row.GetProperty("window").GetInt32(),
            row.GetProperty("hop").GetInt32(), row.GetProperty("blocks").GetInt32());
    }

    [Theory]
    [InlineData("--step-ms 0.5", "error: --step-ms 0.5 gives a 16-sample window, shorter than 27 samples")]
    [InlineData("--step-ms 0.03", "error: --step-ms 0.03: not a positive whole number of samples at 16000 Hz")]
    [InlineData("--step-ms 600", "error: --step-ms 600 gives a 19200-sample window, longer than the 16000-sample clip")]
    [InlineData("--step-ms 50 --window-ms 100", "error: give --step-ms or --window-ms, not both")]
    public async Task Info_rejects_steps_that_give_no_model(string options, string error)
    {
        Assert.StartsWith(error, await CliProcess.FailAsync(["info", .. options.Split(' ')]));
    }

    [Fact]
    public async Task Import_checks_the_authors_50_ms_fixture()
    {
        using var folder = new TempDirectory("import-step");
        var fixture = Path.Combine(TestPaths.RepositoryRoot, "tests", "fixtures", "reference-step50ms");
        var output = await CliProcess.SucceedAsync("import", "--from-pytorch", Path.Combine(fixture, "tfcrnn-resse.pt"), "--model", "tfcrnn-resse",
            "--width", "16", "--step-ms", "50", "--out", folder.Combine("model"), "--check", Path.Combine(fixture, "tfcrnn-resse.io.pt"));

        Assert.EndsWith("predictions equal\nparity ok\n", output);
        Assert.Contains("excitation.block4 max_abs_diff=", output);
        Assert.DoesNotContain("excitation.block5", output);
        using var config = JsonDocument.Parse(File.ReadAllText(folder.Combine("model", "config.json")));
        Assert.Equal((1600, 800), (config.RootElement.GetProperty("window").GetInt32(), config.RootElement.GetProperty("hop").GetInt32()));
    }

    [Fact]
    public async Task Train_at_a_step_stores_it_and_eval_and_predict_follow_it()
    {
        using var data = new ToneDataset(trainPerWord: 4, validPerWord: 1, testPerWord: 1);
        using var folder = new TempDirectory("train-step");
        var run = folder.Combine("run");
        await CliProcess.SucceedAsync("train", "--data", data.Path, "--model", "tfcrnn-basic", "--step-ms", "50", "--width", "8",
            "--max-epochs", "1", "--batch-size", "8", "--threads", "1", "--out", run);

        var saved = new RunFolder(run).ReadConfig();
        Assert.Equal((1600, 800, 19), (saved.Model.Window, saved.Model.Hop, saved.Model.Steps));
        Assert.Equal(50, saved.Training.StepMs);
        using var predictions = JsonDocument.Parse(await CliProcess.SucceedAsync("predict", "--checkpoint", run, "--steps", "--json",
            Path.Combine(data.Path, "go", Directory.GetFiles(Path.Combine(data.Path, "go"))[0])));
        var perStep = predictions.RootElement[0].GetProperty("steps").EnumerateObject().First().Value;
        Assert.Equal(19, perStep.GetArrayLength());
        Assert.Contains("accuracy", await CliProcess.SucceedAsync("eval", "--checkpoint", run, "--data", data.Path, "--split", "test",
            "--out", folder.Combine("eval")));
    }

    [Theory]
    [InlineData("train --model cnn-se --step-ms 50", "error: --step-ms applies to the recurrent models (crnn-*, tfcrnn-*); cnn-se sees the whole clip at once")]
    [InlineData("train --model crnn-se --window-ms 1.5", "error: --window-ms 1.5 gives a 24-sample window, shorter than 27 samples")]
    [InlineData("import --model tfcrnn-se --step-ms 12.51", "error: --step-ms 12.51: not a positive whole number of samples")]
    [InlineData("import --model cnn-basic --window-ms 200", "error: --window-ms applies to the recurrent models")]
    public async Task Train_and_import_reject_bad_steps_before_reading_anything(string command, string error)
    {
        using var folder = new TempDirectory("bad-step");
        string[] paths = command.StartsWith("train", StringComparison.Ordinal)
            ? ["--data", folder.Path, "--out", folder.Combine("run")]
            : ["--from-pytorch", folder.Combine("missing.pt"), "--out", folder.Combine("model")];
        Assert.StartsWith(error, await CliProcess.FailAsync([.. command.Split(' '), .. paths]));
        Assert.False(Directory.Exists(folder.Combine("run")) || Directory.Exists(folder.Combine("model")));
    }
}
