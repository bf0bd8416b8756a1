using TfCrnn.Interop;
using TfCrnn.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace TfCrnn.Checkpoints;

/// <summary>Finds and loads the model behind whatever a user passes as <c>--checkpoint</c>.</summary>
public static class CheckpointLocator
{
    /// <summary>A training run folder's checkpoint folders (each a model folder plus optimizer state).</summary>
    public const string BestCheckpoint = "best";

    /// <inheritdoc cref="BestCheckpoint"/>
    public const string LastCheckpoint = "last";

    /// <summary>Whether <paramref name="path"/> is a training run folder (it has a best/ or last/ checkpoint).</summary>
    public static bool IsRunFolder(string path) =>
        Directory.Exists(Path.Combine(path, BestCheckpoint)) || Directory.Exists(Path.Combine(path, LastCheckpoint));

    /// <summary>
    /// Loads a model from a run folder (its <c>best</c> checkpoint), a model folder (<c>config.json</c> +
    /// <c>model.pt</c>, as <c>tfcrnn import</c> writes), a checkpoint folder inside a run, or a <c>.pt</c>
    /// or <c>.safetensors</c> file with the model's <c>config.json</c> beside it. The model is returned in eval mode.
    /// </summary>
    /// <exception cref="CheckpointException">Missing, corrupt or mismatched files; the message names them.</exception>
    public static SpeechCommandModel LoadModel(string path, Device? device = null)
    {
        var model = Load(Path.GetFullPath(path));
        if (device is not null) model.to(device);
        model.eval();
        return model;
    }

    /// <summary>The model folder <paramref name="path"/> designates, or null for a weights file.</summary>
    public static string? ModelDirectory(string path)
    {
        if (File.Exists(path)) return null;
        if (!Directory.Exists(path))
            throw new CheckpointException($"{path}: no such file or folder");
        if (IsRunFolder(path))
        {
            var best = Path.Combine(path, BestCheckpoint);
            if (!Directory.Exists(best))
                throw new CheckpointException($"{path}: the run has no {BestCheckpoint}/ checkpoint yet (it has not finished an epoch)");
            return best;
        }
        if (File.Exists(Path.Combine(path, ModelFolder.ConfigFile)) && File.Exists(Path.Combine(path, ModelFolder.WeightsFile)))
            return path;
        throw new CheckpointException(
            $"{path}: not a run folder (best/) nor a model folder (config.json + model.pt)");
    }

    /// <summary>The config of the model that <paramref name="path"/> designates (anything <see cref="LoadModel"/> takes).</summary>
    /// <exception cref="CheckpointException">Missing or invalid files; the message names them.</exception>
    public static ModelConfig ReadConfig(string path)
    {
        path = Path.GetFullPath(path);
        return ModelFolder.ReadConfig(ModelDirectory(path) ?? ConfigBesideWeights(path));
    }

    private static string ConfigBesideWeights(string weightsPath)
    {
        var besideWeights = Path.GetDirectoryName(weightsPath)!;
        if (!File.Exists(Path.Combine(besideWeights, ModelFolder.ConfigFile)))
            throw new CheckpointException($"{weightsPath}: no {ModelFolder.ConfigFile} beside the weights file, so the model cannot be built");
        return besideWeights;
    }

    /// <summary>
    /// Loads the weights of the model <paramref name="path"/> designates into <paramref name="model"/>, which must be
    /// built from the same config (<see cref="ReadConfig"/>): how a fine-tuning run starts.
    /// </summary>
    /// <exception cref="CheckpointException">Missing, corrupt or mismatched files; the message names them.</exception>
    public static void LoadWeights(SpeechCommandModel model, string path)
    {
        path = Path.GetFullPath(path);
        var weights = ModelDirectory(path) is { } modelDirectory ? Path.Combine(modelDirectory, ModelFolder.WeightsFile) : path;
        if (Path.GetExtension(weights).Equals(".safetensors", StringComparison.OrdinalIgnoreCase))
            SafetensorsWeights.Load(model, weights);
        else
            PyTorchWeights.Load(model, weights);
    }

    private static SpeechCommandModel Load(string path)
    {
        var model = ModelFactory.Create(ReadConfig(path));
        try
        {
            LoadWeights(model, path);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}
