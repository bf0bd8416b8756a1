using TfCrnn.Data;
using TfCrnn.Models;
using TfCrnn.Tests.Support;
using TfCrnn.Training;

namespace TfCrnn.Tests.Training;

/// <summary>The typed training options keep the spellings run folders have always had in their <c>config.json</c>.</summary>
public sealed class TrainingOptionsFileTests
{
    /// <summary>The <c>training</c> section as <c>tfcrnn train</c> wrote it while these options were strings.</summary>
    private const string WrittenByStringOptions = """
        {
          "training": {
            "data_path": "/data/speech",
            "variant": "crnn-se",
            "output_directory": "/runs/crnn-se",
            "io": "many2one",
            "seed": 1,
            "width": 8,
            "step_ms": null,
            "window_ms": null,
            "max_epochs": 3,
            "time_limit_minutes": null,
            "batch_size": 8,
            "learning_rate": 0.003,
            "optimizer": "adam",
            "schedule": "cosine",
            "patience": 2,
            "stages": 3,
            "head_dropout": null,
            "residual_dropout": null,
            "limit_train": null,
            "threads": 1,
            "device": "cuda:1",
            "resume": false,
            "hidden_size": 256,
            "task": "commands35+none",
            "rejection": {
              "unknown_percent": 10,
              "silence_percent": 10,
              "background_frequency": 0.8,
              "background_volume": 0.1
            },
            "augmentation": {
              "shift": true,
              "wide_shift": null,
              "speed": null,
              "pitch": null,
              "vtlp": null,
              "reverb": null,
              "noise": null,
              "band_limit": null,
              "gain": null,
              "mask": null,
              "neighbours": null
            },
            "init_from": null
          },
        """;

    [Fact]
    public void ARunFolderWrittenWithStringOptionsReadsAsTypedOptionsAndIsWrittenBackTheSame()
    {
        using var folder = new TempDirectory("options-file");
        var model = ModelConfig.For("crnn-se") with { Width = 8, Labels = LabelTasks.CommandsAndNone.Classes.Labels };
        var text = WrittenByStringOptions + $"\n  \"model\": {model.ToJson().Replace("\n", "\n  ")}\n}}";
        var run = new RunFolder(folder.Path);
        File.WriteAllText(run.ConfigPath, text);

        var training = run.ReadConfig().Training;

        Assert.Equal((OptimizerKind.Adam, ScheduleKind.Cosine, new ComputeDevice(true, 1), LabelTasks.CommandsAndNone, OutputMode.ManyToOne),
            (training.Optimizer, training.Schedule, training.Device, training.Task, training.Io));
        Assert.Equal("cuda:1", training.Device.ToString());
        run.WriteConfig(new RunConfig(training, model));
        Assert.Equal(Normalized(text), Normalized(File.ReadAllText(run.ConfigPath)));
    }

    [Theory]
    [InlineData("optimizer", "rmsprop")]
    [InlineData("schedule", "step")]
    [InlineData("device", "tpu")]
    [InlineData("task", "commands30")]
    public void AnUnknownSpellingMakesTheFileInvalidNamingIt(string key, string value)
    {
        using var folder = new TempDirectory("options-file");
        var model = ModelConfig.For("crnn-se") with { Width = 8, Labels = LabelTasks.CommandsAndNone.Classes.Labels };
        var run = new RunFolder(folder.Path);
        File.WriteAllText(run.ConfigPath, WrittenByStringOptions.Replace(Line(key, OriginalValue(key)), Line(key, value)) +
            $"\n  \"model\": {model.ToJson()}\n}}");

        var error = Assert.Throws<TfCrnn.Checkpoints.CheckpointException>(() => run.ReadConfig());
        Assert.Contains(run.ConfigPath, error.Message);
    }

    [Fact]
    public void DevicesParseAsTrainSpellsThem()
    {
        Assert.Equal([ComputeDevice.Cpu, ComputeDevice.Cuda, new ComputeDevice(true, 3)],
            new[] { "cpu", "cuda", "cuda:3" }.Select(d => ComputeDevice.Parse("--device", d)));
        Assert.Equal("--device must be cpu, cuda or cuda:N, got 'cuda:-1'",
            Assert.Throws<OptionException>(() => ComputeDevice.Parse("--device", "cuda:-1")).Message);
        Assert.Equal("--device", Assert.Throws<OptionException>(() => new ComputeDevice(false, 2).Validate()).Option);
    }

    private static string OriginalValue(string key) =>
        key switch { "optimizer" => "adam", "schedule" => "cosine", "device" => "cuda:1", _ => "commands35+none" };

    private static string Line(string key, string value) => $"\"{key}\": \"{value}\"";

    private static string Normalized(string json) => System.Text.Json.Nodes.JsonNode.Parse(json)!.ToJsonString();
}
