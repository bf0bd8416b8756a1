using System.Text.Json;
using TfCrnn.Interop;
using TfCrnn.IO;
using TfCrnn.Models;

namespace TfCrnn.Checkpoints;

/// <summary>A model folder: <c>config.json</c> (<see cref="ModelConfig.ToJson"/>) and <c>model.pt</c> (a PyTorch state_dict).</summary>
internal static class ModelFolder
{
    public const string ConfigFile = "config.json";
    public const string WeightsFile = "model.pt";

    public static void Save(SpeechCommandModel model, string directory)
    {
        Directory.CreateDirectory(directory);
        PyTorchWeights.Save(model, Path.Combine(directory, WeightsFile));
        AtomicFile.WriteAllText(Path.Combine(directory, ConfigFile), model.Config.ToJson());
    }

    /// <summary>The <c>config.json</c> of a model folder.</summary>
    public static ModelConfig ReadConfig(string directory)
    {
        var path = Path.Combine(directory, ConfigFile);
        if (!File.Exists(path))
            throw new CheckpointException($"{path}: model config not found (a model folder holds {ConfigFile} and {WeightsFile})");
        try
        {
            return ModelConfig.FromJson(File.ReadAllText(path));
        }
        catch (ModelConfigException e)
        {
            throw new CheckpointException($"{path}: invalid model config ({e.Message})", e);
        }
    }
}
