using TfCrnn.Checkpoints;
using TfCrnn.IO;
using TfCrnn.Models;
using TorchSharp.PyBridge;

namespace TfCrnn.Interop;

/// <summary>PyTorch <c>state_dict</c> files (<c>torch.save</c> zip format) in and out, with the reference key names.</summary>
public static class PyTorchWeights
{
    /// <summary>Loads a state_dict strictly; a wrong or corrupt file throws <see cref="CheckpointException"/>.</summary>
    public static void Load(SpeechCommandModel model, string path) => StateDict.LoadFile(model, path, StateDict.ReadPyTorch);

    /// <summary>Writes a state_dict that <c>torch.load</c> reads, atomically.</summary>
    public static void Save(SpeechCommandModel model, string path) =>
        AtomicFile.WriteThroughPath(path, temporary => model.save_py(temporary));
}

/// <summary>safetensors files in and out, with the reference key names.</summary>
public static class SafetensorsWeights
{
    /// <summary>Loads weights strictly; a wrong or corrupt file throws <see cref="CheckpointException"/>.</summary>
    public static void Load(SpeechCommandModel model, string path) => StateDict.LoadFile(model, path, StateDict.ReadSafetensors);

    /// <summary>Writes a safetensors file, atomically.</summary>
    public static void Save(SpeechCommandModel model, string path) =>
        AtomicFile.WriteThroughPath(path, temporary => model.save_safetensors(temporary));
}
