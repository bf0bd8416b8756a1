using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Onnx;
using TfCrnn.Checkpoints;
using TfCrnn.Data;
using TfCrnn.IO;
using TfCrnn.Models;
using TfCrnn.Runtime;
using TfCrnn.Runtime.Onnx;

namespace TfCrnn.Interop.Onnx;

/// <summary>Options of <c>tfcrnn export</c>.</summary>
public sealed record ExportOptions
{
    /// <summary>A run folder, a model folder, or a weights file with config.json beside it.</summary>
    public required string Checkpoint { get; init; }

    /// <summary>The folder to write <see cref="OnnxMetadata.ClipFile"/> and <see cref="OnnxMetadata.StepFile"/> into.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Throws <see cref="OptionException"/> naming the first bad value.</summary>
    public ExportOptions Validate()
    {
        OptionChecks.Required("--checkpoint", Checkpoint);
        OptionChecks.Required("--out", OutputDirectory);
        if (File.Exists(OutputDirectory)) throw new OptionException("--out", $"{OutputDirectory} is a file, not a folder");
        return this;
    }
}

/// <summary>What <see cref="OnnxExport.Run"/> wrote.</summary>
public sealed record ExportResult(string ClipPath, string StepPath, ModelConfig Config);

/// <summary>
/// <c>tfcrnn export</c>: a checkpoint → ONNX (opset 17) graphs of the whole clip and of one streaming step, with the
/// labels, framing and input scale in their metadata (<see cref="OnnxMetadata"/>).
/// </summary>
public static class OnnxExport
{
    /// <summary>The ONNX operator set the graphs use.</summary>
    public const int Opset = 17;

    /// <summary>The IR version that goes with <see cref="Opset"/> (ONNX 1.12).</summary>
    private const long IrVersion = 8;

    /// <summary>The <c>export</c> verb: writes <c>clip.onnx</c> and <c>step.onnx</c> with their metadata.</summary>
    public static ExportResult Run(ExportOptions options)
    {
        options.Validate();
        using var model = CheckpointLocator.LoadModel(options.Checkpoint);
        var recipe = TrainingRecipe(Path.GetFullPath(options.Checkpoint));
        var (clip, step) = Build(model, recipe);
        Directory.CreateDirectory(options.OutputDirectory);
        var clipPath = Path.Combine(options.OutputDirectory, OnnxMetadata.ClipFile);
        var stepPath = Path.Combine(options.OutputDirectory, OnnxMetadata.StepFile);
        AtomicFile.WriteAllBytes(clipPath, clip.ToByteArray());
        AtomicFile.WriteAllBytes(stepPath, step.ToByteArray());
        return new ExportResult(clipPath, stepPath, model.Config);
    }

    /// <summary>
    /// The graph ONNX Runtime runs for <paramref name="checkpoint"/>: the file of an exported folder, or the checkpoint
    /// exported in memory.
    /// </summary>
    /// <param name="file"><see cref="OnnxMetadata.ClipFile"/> or <see cref="OnnxMetadata.StepFile"/>.</param>
    public static (byte[] Model, string Name) Graph(string checkpoint, string file)
    {
        if (InferenceEngines.IsExported(checkpoint))
        {
            var path = Path.Combine(checkpoint, file);
            return (File.ReadAllBytes(path), path);
        }
        using var model = CheckpointLocator.LoadModel(checkpoint);
        var (clip, step) = Build(model);
        return ((file == OnnxMetadata.ClipFile ? clip : step).ToByteArray(), $"{checkpoint} (exported in memory)");
    }

    /// <summary>The clip and step models of <paramref name="model"/> (its eval-mode weights).</summary>
    /// <param name="trainingRecipe">JSON of the training options, stored in the metadata when given.</param>
    internal static (ModelProto Clip, ModelProto Step) Build(SpeechCommandModel model, string? trainingRecipe = null)
    {
        var (clip, step) = model.Config.Model.Graphs(model);
        return (Model(clip, "clip", model.Config, trainingRecipe), Model(step, "step", model.Config, trainingRecipe));
    }

    private static ModelProto Model(GraphProto graph, string kind, ModelConfig config, string? trainingRecipe)
    {
        var geometry = config.Geometry;
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "tfcrnn",
            ProducerVersion = typeof(OnnxExport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "",
            DocString = $"{config.Variant} (width {config.Width}), {kind} graph; inputs are samples in [-1, 1] × {OnnxMetadata.InputScale}",
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        var metadata = new Dictionary<string, string>
        {
            [OnnxMetadata.Graph] = kind,
            [OnnxMetadata.Labels] = JsonSerializer.Serialize(config.Labels),
            [OnnxMetadata.SampleRate] = "16000",
            [OnnxMetadata.ClipSamples] = Invariant(config.ClipSamples),
            [OnnxMetadata.Window] = Invariant(geometry.Window),
            [OnnxMetadata.Hop] = Invariant(geometry.Hop),
            [OnnxMetadata.Steps] = Invariant(geometry.StepsPerClip),
            [OnnxMetadata.InputScale] = Preprocessing.InputScale.ToString("R", CultureInfo.InvariantCulture),
            [OnnxMetadata.Variant] = config.Variant,
            [OnnxMetadata.Width] = Invariant(config.Width),
            [OnnxMetadata.HiddenSize] = Invariant(config.StateSize),
            [OnnxMetadata.ModelConfig] = config.ToJson(),
            [OnnxMetadata.Recognizer] = RecognizerDefaults(),
        };
        if (trainingRecipe is not null) metadata[OnnxMetadata.TrainingRecipe] = trainingRecipe;
        model.MetadataProps.AddRange(metadata.Select(p => new StringStringEntryProto { Key = p.Key, Value = p.Value }));
        return model;
    }

    private static string RecognizerDefaults()
    {
        var defaults = new RecognizerOptions();
        return new JsonObject
        {
            ["state"] = defaults.State.ToString(),
            ["smoothing_steps"] = defaults.SmoothingSteps,
            ["threshold"] = defaults.Threshold,
            ["refractory_seconds"] = defaults.RefractorySeconds,
        }.ToJsonString();
    }

    /// <summary>The <c>training</c> section of the run's config.json when <paramref name="checkpoint"/> is a run folder or one of its checkpoints.</summary>
    private static string? TrainingRecipe(string checkpoint)
    {
        var candidates = new[] { checkpoint, Path.GetDirectoryName(checkpoint.TrimEnd(Path.DirectorySeparatorChar)) };
        var run = candidates.FirstOrDefault(c => c is not null && CheckpointLocator.IsRunFolder(c));
        var configPath = run is null ? null : Path.Combine(run, ModelFolder.ConfigFile);
        if (configPath is null || !File.Exists(configPath)) return null;
        try
        {
            return JsonNode.Parse(File.ReadAllText(configPath))?["training"]?.ToJsonString();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
