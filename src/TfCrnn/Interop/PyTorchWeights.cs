using TfCrnn.Models;
using TorchSharp.PyBridge;

namespace TfCrnn.Interop;

/// <summary>PyTorch <c>state_dict</c> files (<c>torch.save</c> zip format) in and out, with the reference key names.</summary>
public static class PyTorchWeights
{
    /// <summary>Loads a state_dict strictly; a wrong or corrupt file throws <see cref="CheckpointException"/>.</summary>
    public static void Load(SpeechCommandModel model, string path)
    {
        var source = StateDict.ReadPyTorch(path);
        try
        {
            StateDict.LoadStrict(model, source, path);
        }
        finally
        {
            foreach (var tensor in source.Values) tensor.Dispose();
        }
    }

    /// <summary>Writes a state_dict that <c>torch.load</c> reads, atomically.</summary>
    public static void Save(SpeechCommandModel model, string path) =>
        AtomicFile.Write(path, temporary => model.save_py(temporary));
}

/// <summary>safetensors files in and out, with the reference key names.</summary>
public static class SafetensorsWeights
{
    public static void Load(SpeechCommandModel model, string path)
    {
        var source = StateDict.ReadSafetensors(path);
        try
        {
            StateDict.LoadStrict(model, source, path);
        }
        finally
        {
            foreach (var tensor in source.Values) tensor.Dispose();
        }
    }

    public static void Save(SpeechCommandModel model, string path) =>
        AtomicFile.Write(path, temporary => model.save_safetensors(temporary));
}
