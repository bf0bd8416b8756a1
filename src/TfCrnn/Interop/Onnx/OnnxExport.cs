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
using TfCrnn.Runtime.SpeechEmbedding;
using TfCrnn.SpeechEmbedding;

namespace TfCrnn.Interop.Onnx;

/// <summary>Options of <c>tfcrnn export</c>.</summary>
public sealed record ExportOptions
{
    /// <summary>A run folder, a model folder, or a weights file with config.json beside it.</summary>
    public required string Checkpoint { get; init; }

    /// <summary>The folder to write <see cref="OnnxMetadata.ClipFile"/> and <see cref="OnnxMetadata.StepFile"/> into.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>
    /// For a model over the speech embedding: a folder holding the encoder's two files (<c>--encoder DIR</c>), copied
    /// beside the graphs after their SHA-256 is checked; null: the per-user cache (<c>tfcrnn encoder install</c>).
    /// Other models do not need it.
    /// </summary>
    public string? EncoderDirectory { get; init; }

    /// <summary>The encoder package whose files are pinned (tests pin a stand-in's).</summary>
    internal EncoderPackage Package { get; init; } = EncoderPackage.Pinned;

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
/// <param name="FrontEndPaths">The front end's graph files copied beside them (a model over the speech embedding); empty otherwise.</param>
public sealed record ExportResult(string ClipPath, string StepPath, ModelConfig Config, IReadOnlyList<string> FrontEndPaths);

/// <summary>
/// <c>tfcrnn export</c>: a checkpoint → ONNX (opset 17) graphs of the whole clip and of one streaming step, with the
/// labels, framing and input scale in their metadata (<see cref="OnnxMetadata"/>). A model over the speech embedding
/// takes the embedding's features (<see cref="OnnxMetadata.FeaturesInput"/>): its folder also holds the encoder's two
/// graphs, copied from the installed encoder, and its metadata names the front end, its geometry and the files' SHA-256.
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
        var encoder = OverSpeechEmbedding(model.Config)
            ? ReadEncoder(EncoderFiles.Locate(options.EncoderDirectory, null, options.Package), options.Package)
            : ((EncoderPackage Package, (string Name, byte[] Bytes)[] Files)?)null;
        var recipe = TrainingRecipe(Path.GetFullPath(options.Checkpoint));
        var (clip, step) = Build(model, recipe, encoder?.Package);
        Directory.CreateDirectory(options.OutputDirectory);
        var frontEnd = new List<string>();
        foreach (var (name, bytes) in encoder?.Files ?? Array.Empty<(string Name, byte[] Bytes)>())
        {
            frontEnd.Add(Path.Combine(options.OutputDirectory, name));
            AtomicFile.WriteAllBytes(frontEnd[^1], bytes);
        }
        var clipPath = Path.Combine(options.OutputDirectory, OnnxMetadata.ClipFile);
        var stepPath = Path.Combine(options.OutputDirectory, OnnxMetadata.StepFile);
        AtomicFile.WriteAllBytes(clipPath, clip.ToByteArray());
        AtomicFile.WriteAllBytes(stepPath, step.ToByteArray());
        return new ExportResult(clipPath, stepPath, model.Config, frontEnd);
    }

    /// <summary>Whether <paramref name="config"/>'s model takes the speech embedding's features, which its export folder computes with the encoder's graphs.</summary>
    internal static bool OverSpeechEmbedding(ModelConfig config) => config.Model.FrontEnd == FrontEnd.SpeechEmbedding;

    /// <summary>
    /// The encoder's files as they will be copied, and the package the metadata names: <paramref name="package"/> when
    /// the bytes are its pinned ones; for the folder <see cref="EncoderFiles.UnpinnedVariable"/> names (tests,
    /// development), an unpinned package with the bytes' own SHA-256.
    /// </summary>
    /// <exception cref="TfCrnnException">A file no longer has its pinned SHA-256 (it changed after it was checked).</exception>
    private static (EncoderPackage Package, (string Name, byte[] Bytes)[] Files) ReadEncoder(string folder, EncoderPackage package)
    {
        var files = package.Files.Select(f => (f.Name, Bytes: File.ReadAllBytes(Path.Combine(folder, f.Name)))).ToArray();
        var actual = package.Files.Zip(files, (pin, file) => pin with { Sha256 = EncoderFiles.Sha256(file.Bytes) }).ToList();
        if (actual.SequenceEqual(package.Files)) return (package, files);
        if (Path.GetFullPath(folder) == EncoderFiles.Unpinned)
            return (package with { Name = "unpinned-encoder", Version = "local", Integrity = "", Files = actual }, files);
        var changed = actual.First(a => !package.Files.Contains(a));
        throw new TfCrnnException($"{Path.Combine(folder, changed.Name)}: SHA-256 {changed.Sha256}, expected " +
            $"{package.Files.First(f => f.Name == changed.Name).Sha256} (it changed while it was read?); nothing written");
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
        return ((file == OnnxMetadata.ClipFile ? clip : step).ToByteArray(), InMemoryName(checkpoint));
    }

    /// <summary>How errors name a checkpoint's graphs exported in memory.</summary>
    internal static string InMemoryName(string checkpoint) => $"{checkpoint} (exported in memory)";

    /// <summary>The clip and step models of <paramref name="model"/> (its eval-mode weights).</summary>
    /// <param name="trainingRecipe">JSON of the training options, stored in the metadata when given.</param>
    /// <param name="package">For a model over the speech embedding: the encoder whose files the metadata pins (the pinned package by default).</param>
    internal static (ModelProto Clip, ModelProto Step) Build(SpeechCommandModel model, string? trainingRecipe = null, EncoderPackage? package = null)
    {
        var (clip, step) = model.Config.Model.Graphs(model);
        package ??= EncoderPackage.Pinned;
        return (Model(clip, "clip", model.Config, trainingRecipe, package), Model(step, "step", model.Config, trainingRecipe, package));
    }

    private static ModelProto Model(GraphProto graph, string kind, ModelConfig config, string? trainingRecipe, EncoderPackage package)
    {
        var geometry = config.Geometry;
        // A model over the speech embedding streams the embedding's windows (SpeechEmbeddingStepModel): its clip is the
        // padded one, and the samples enter the log-mel unscaled.
        var embedding = OverSpeechEmbedding(config);
        var info = embedding ? SpeechEmbeddingStepModel.Describe(config.LabelSet, config.StateSize, config.Variant) : null;
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "tfcrnn",
            ProducerVersion = typeof(OnnxExport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "",
            DocString = embedding
                ? $"{config.Variant}, {kind} graph; inputs are the speech embedding's features, computed by {SpeechEmbeddingEncoder.MelFile} and {SpeechEmbeddingEncoder.EmbeddingFile} in the same folder"
                : $"{config.Variant} (width {config.Width}), {kind} graph; inputs are samples in [-1, 1] × {OnnxMetadata.InputScale}",
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        var metadata = new Dictionary<string, string>
        {
            [OnnxMetadata.Graph] = kind,
            [OnnxMetadata.Labels] = JsonSerializer.Serialize(config.Labels),
            [OnnxMetadata.SampleRate] = "16000",
            [OnnxMetadata.ClipSamples] = Invariant(info?.ClipSamples ?? config.ClipSamples),
            [OnnxMetadata.Window] = Invariant(geometry.Window),
            [OnnxMetadata.Hop] = Invariant(geometry.Hop),
            [OnnxMetadata.Steps] = Invariant(geometry.StepsPerClip),
            [OnnxMetadata.InputScale] = (info?.InputScale ?? Preprocessing.InputScale).ToString("R", CultureInfo.InvariantCulture),
            [OnnxMetadata.Variant] = config.Variant,
            [OnnxMetadata.Width] = Invariant(config.Width),
            [OnnxMetadata.HiddenSize] = Invariant(config.StateSize),
            [OnnxMetadata.ModelConfig] = config.ToJson(),
            [OnnxMetadata.Recognizer] = RecognizerDefaults(config.Model),
        };
        if (trainingRecipe is not null) metadata[OnnxMetadata.TrainingRecipe] = trainingRecipe;
        if (embedding)
        {
            metadata[OnnxMetadata.FrontEnd] = SpeechEmbeddingGeometry.FrontEndName;
            metadata[OnnxMetadata.FrontEndGeometry] = SpeechEmbeddingGeometry.ToJson();
            metadata[OnnxMetadata.EncoderPackage] = package.Spec;
            metadata[OnnxMetadata.EncoderFiles] = new JsonObject(package.Files.Select(f => KeyValuePair.Create(f.Name, (JsonNode?)f.Sha256))).ToJsonString();
            metadata[OnnxMetadata.EncoderLicence] = string.Join("\n", EncoderFiles.Licence);
        }
        model.MetadataProps.AddRange(metadata.Select(p => new StringStringEntryProto { Key = p.Key, Value = p.Value }));
        return model;
    }

    private static string RecognizerDefaults(Models.ModelDeclaration model)
    {
        var defaults = new RecognizerOptions();
        return new JsonObject
        {
            ["state"] = defaults.State.ToString(),
            ["smoothing_steps"] = defaults.SmoothingSteps,
            ["threshold"] = defaults.Threshold,
            ["refractory_seconds"] = model.RefractorySeconds,
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
