using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using TfCrnn.Checkpoints;
using TfCrnn.Interop;
using TfCrnn.Models;
using TorchSharp.Modules;
using TorchSharp.PyBridge;
using static TorchSharp.torch;
using AtomicFile = TfCrnn.IO.AtomicFile;

namespace TfCrnn.Training;

/// <summary>A run folder's <c>config.json</c>: the training options and the model they build.</summary>
internal sealed record RunConfig(TrainingOptions Training, ModelConfig Model);

/// <summary>
/// The outcome of a run, and its folder's <c>result.json</c>: the test of its best-validation checkpoint when its last
/// session ended.
/// </summary>
/// <param name="Model">The variant trained.</param>
/// <param name="Io">Many-to-many or many-to-one training.</param>
/// <param name="TestAccuracy">Fraction of test clips right (last step).</param>
/// <param name="BestEpoch">1-based epoch of the lowest validation loss, or with <c>--select-on</c> of the folder's best score.</param>
/// <param name="Epochs">Epochs trained.</param>
/// <param name="WallSeconds">Wall time over every session of the run.</param>
/// <param name="TimeLimitReached">The session stopped at its <see cref="TrainingOptions.TimeLimitMinutes"/> before the run ended; it can be resumed.</param>
public sealed record RunResult(string Model, string Io, int Seed, double TestAccuracy, double TestLoss,
    int BestEpoch, int Epochs, double WallSeconds, bool TimeLimitReached = false);

/// <summary>
/// The files of a training run: <c>config.json</c>, <c>metrics.csv</c>, TensorBoard event files,
/// <c>result.json</c>, and the <c>best</c> and <c>last</c> checkpoints, each a model folder
/// (<c>config.json</c> + <c>model.pt</c>) plus <c>optimizer.pt</c> and <c>state.json</c>.
/// Every file and checkpoint is replaced atomically, so a run killed at any moment leaves the
/// previous complete version behind.
/// </summary>
internal sealed class RunFolder(string directory)
{
    public const string Best = CheckpointLocator.BestCheckpoint;
    public const string Last = CheckpointLocator.LastCheckpoint;
    public const string OptimizerFile = "optimizer.pt";
    public const string StateFile = "state.json";

    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public string Directory { get; } = Path.GetFullPath(directory);
    public string ConfigPath => Path.Combine(Directory, "config.json");
    public string MetricsPath => Path.Combine(Directory, "metrics.csv");
    public string ResultPath => Path.Combine(Directory, "result.json");

    public string CheckpointPath(string name) => Path.Combine(Directory, name);

    /// <summary>The command that continues the run in <paramref name="outputDirectory"/>, quoted for a shell.</summary>
    public static string ResumeCommand(string outputDirectory) =>
        $"tfcrnn train --out {IO.ShellWords.Quote(outputDirectory)} --resume";

    /// <summary>Whether <paramref name="path"/> looks like a run folder (has a best or last checkpoint).</summary>
    public static bool IsRunFolder(string path) => CheckpointLocator.IsRunFolder(path);

    public bool HasCheckpoint(string name)
    {
        RecoverInterruptedSwap(name);
        return File.Exists(Path.Combine(CheckpointPath(name), StateFile));
    }

    public void WriteConfig(RunConfig config) => AtomicFile.WriteAllText(ConfigPath, JsonSerializer.Serialize(config, Json));

    public RunConfig ReadConfig() => ReadJson<RunConfig>(ConfigPath);

    public void WriteResult(RunResult result) => AtomicFile.WriteAllText(ResultPath, JsonSerializer.Serialize(result, Json));

    public RunResult ReadResult() => ReadJson<RunResult>(ResultPath);

    /// <summary>
    /// <c>metrics.csv</c>: a row per epoch; a run with <c>--select-on</c> adds the folder's <c>select_accuracy</c> and
    /// <c>select_keyword_accuracy</c>.
    /// </summary>
    public void WriteMetrics(IReadOnlyList<EpochMetrics> history, bool selecting = false)
    {
        var csv = new StringBuilder("epoch,stage,learning_rate,train_loss,train_accuracy,valid_loss,valid_accuracy,seconds" +
                                    (selecting ? ",select_accuracy,select_keyword_accuracy\n" : "\n"));
        foreach (var m in history)
        {
            object?[] values = [m.Epoch, m.Stage, m.LearningRate, m.TrainLoss, m.TrainAccuracy, m.ValidLoss, m.ValidAccuracy, m.Seconds];
            if (selecting) values = [.. values, m.SelectAccuracy, m.SelectKeywordAccuracy];
            csv.AppendLine(string.Join(',', values.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture))));
        }
        AtomicFile.WriteAllText(MetricsPath, csv.ToString());
    }

    /// <summary>Reads <c>metrics.csv</c> back (the quickstart report plots it).</summary>
    public IReadOnlyList<EpochMetrics> ReadMetrics()
    {
        if (!File.Exists(MetricsPath)) throw new TfCrnnException($"{MetricsPath}: missing");
        return File.ReadLines(MetricsPath).Skip(1).Where(l => l.Length > 0).Select(line =>
        {
            var f = line.Split(',');
            double D(int i) => double.Parse(f[i], CultureInfo.InvariantCulture);
            double? Optional(int i) => f.Length > i && f[i].Length > 0 ? D(i) : null;
            return new EpochMetrics(int.Parse(f[0], CultureInfo.InvariantCulture), int.Parse(f[1], CultureInfo.InvariantCulture),
                D(2), D(3), D(4), D(5), D(6), D(7), Optional(8), Optional(9));
        }).ToList();
    }

    /// <summary>
    /// Writes a checkpoint into a fresh temporary folder, then swaps it in for the old one:
    /// rename old → <c>name.old-*</c>, temporary → <c>name</c>, delete old. An interruption between the
    /// two renames is undone by <see cref="RecoverInterruptedSwap"/>.
    /// </summary>
    internal void SaveCheckpoint(string name, SpeechCommandModel model, OptimizerHelper optimizer, TrainingState state)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var id = Guid.NewGuid().ToString("N");
        var temporary = Path.Combine(Directory, $"{name}.tmp-{id}");
        try
        {
            ModelFolder.Save(model, temporary);
            optimizer.save_py(Path.Combine(temporary, OptimizerFile));
            File.WriteAllText(Path.Combine(temporary, StateFile), JsonSerializer.Serialize(state, Json));
            var target = CheckpointPath(name);
            if (System.IO.Directory.Exists(target))
            {
                var old = Path.Combine(Directory, $"{name}.old-{id}");
                System.IO.Directory.Move(target, old);
                System.IO.Directory.Move(temporary, target);
                System.IO.Directory.Delete(old, recursive: true);
            }
            else
            {
                System.IO.Directory.Move(temporary, target);
            }
        }
        finally
        {
            if (System.IO.Directory.Exists(temporary)) System.IO.Directory.Delete(temporary, recursive: true);
        }
    }

    /// <summary>Loads a checkpoint's weights and optimizer state into existing objects and returns its state.</summary>
    internal TrainingState LoadCheckpoint(string name, SpeechCommandModel model, OptimizerHelper optimizer)
    {
        var state = ReadState(name);
        var folder = CheckpointPath(name);
        PyTorchWeights.Load(model, Path.Combine(folder, ModelFolder.WeightsFile));
        var optimizerPath = Path.Combine(folder, OptimizerFile);
        try
        {
            using var plain = WithPlainSteps(optimizerPath);
#pragma warning disable TFS002 // load_py's temporary Scalars come from numbers saved as tensors, which WithPlainSteps leaves none of.
            optimizer.load_py(plain);
#pragma warning restore TFS002
        }
        catch (Exception e) when (e is not TfCrnnException)
        {
            throw new CheckpointException($"{optimizerPath}: cannot load the optimizer state ({e.Message})");
        }
        return state;
    }

    /// <summary>
    /// An optimizer file as PyBridge's <c>load_py</c> should read it: with the step counts that Adam's state saves as
    /// one-element tensors read here, by <c>item</c>. <c>load_py</c> would read them with <c>Tensor.ToInt64</c>, that is
    /// <c>ToScalar().ToInt64()</c>, whose temporary Scalar the GC may finalize while libtorch reads it
    /// (docs/torchsharp-scalars.md).
    /// </summary>
    internal static MemoryStream WithPlainSteps(string optimizerPath)
    {
        using var scope = NewDisposeScope();
        var saved = PyTorchUnpickler.UnpickleStateDict(optimizerPath);
        if (saved["state"] is IDictionary states)
            foreach (var state in states.Values.OfType<IDictionary>())
                if (state["step"] is Tensor { dtype: ScalarType.Int64 } step)
                    state["step"] = step.item<long>();
        var plain = new MemoryStream();
        PyTorchPickler.PickleStateDict(plain, saved, leaveOpen: true);
        plain.Position = 0;
        return plain;
    }

    internal TrainingState ReadState(string name)
    {
        if (!HasCheckpoint(name))
            throw new CheckpointException($"{CheckpointPath(name)}: no checkpoint ({StateFile} missing)");
        return ReadJson<TrainingState>(Path.Combine(CheckpointPath(name), StateFile));
    }

    /// <summary>Removes temporary folders of interrupted saves and restores a checkpoint caught between renames.</summary>
    public void RecoverInterruptedSwap(string name)
    {
        if (!System.IO.Directory.Exists(Directory)) return;
        var target = CheckpointPath(name);
        foreach (var old in System.IO.Directory.EnumerateDirectories(Directory, $"{name}.old-*").ToList())
        {
            if (System.IO.Directory.Exists(target)) System.IO.Directory.Delete(old, recursive: true);
            else System.IO.Directory.Move(old, target);
        }
        foreach (var temporary in System.IO.Directory.EnumerateDirectories(Directory, $"{name}.tmp-*").ToList())
            System.IO.Directory.Delete(temporary, recursive: true);
    }

    private static T ReadJson<T>(string path)
    {
        if (!File.Exists(path)) throw new CheckpointException($"{path}: missing");
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path), Json)
                ?? throw new CheckpointException($"{path}: empty");
        }
        catch (Exception e) when (e is JsonException or ModelConfigException or NotSupportedException)
        {
            throw new CheckpointException($"{path}: not a valid {typeof(T).Name} file ({e.Message})");
        }
    }
}
