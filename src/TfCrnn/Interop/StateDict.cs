using System.Collections;
using System.IO.Compression;
using TfCrnn.Checkpoints;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace TfCrnn.Interop;

/// <summary>Reading state dicts from files and matching them strictly against a module's own.</summary>
internal static class StateDict
{
    /// <summary>Every tensor of a <c>torch.save</c>d dict of tensors (a state_dict or an io file), by key.</summary>
    public static Dictionary<string, Tensor> ReadPyTorch(string path) =>
        Read(path, "a PyTorch state_dict (torch.save zip format)", () =>
            PyTorchUnpickler.UnpickleStateDict(path).Cast<DictionaryEntry>()
                .ToDictionary(entry => (string)entry.Key, entry => (Tensor)entry.Value!));

    /// <summary>Every tensor of a safetensors file, by key.</summary>
    public static Dictionary<string, Tensor> ReadSafetensors(string path) =>
        Read(path, "a safetensors file", () => Safetensors.LoadStateDict(path));

    /// <summary>Reads a weights file with <paramref name="read"/> and loads it with <see cref="LoadStrict"/>.</summary>
    public static void LoadFile(nn.Module module, string path, Func<string, Dictionary<string, Tensor>> read)
    {
        var source = read(path);
        try
        {
            LoadStrict(module, source, path);
        }
        finally
        {
            foreach (var tensor in source.Values) tensor.Dispose();
        }
    }

    /// <summary>
    /// Copies <paramref name="source"/> into <paramref name="module"/> after checking that the keys and shapes are
    /// exactly the module's; otherwise throws a <see cref="CheckpointException"/> listing every difference.
    /// </summary>
    public static void LoadStrict(nn.Module module, IReadOnlyDictionary<string, Tensor> source, string path)
    {
        var expected = module.state_dict();
        var missing = expected.Keys.Where(key => !source.ContainsKey(key)).Order(StringComparer.Ordinal).ToList();
        var unexpected = source.Keys.Where(key => !expected.ContainsKey(key)).Order(StringComparer.Ordinal).ToList();
        var misshaped = expected.Keys.Where(source.ContainsKey)
            .Where(key => !source[key].shape.SequenceEqual(expected[key].shape))
            .Order(StringComparer.Ordinal)
            .Select(key => $"{key}: file {Shape(source[key])}, model {Shape(expected[key])}")
            .ToList();
        if (missing.Count + unexpected.Count + misshaped.Count > 0)
        {
            var lines = new List<string> { $"{path}: the weights do not fit the model '{module.GetName()}'" };
            if (missing.Count > 0) lines.Add($"missing keys ({missing.Count}): {string.Join(", ", missing)}");
            if (unexpected.Count > 0) lines.Add($"unexpected keys ({unexpected.Count}): {string.Join(", ", unexpected)}");
            if (misshaped.Count > 0) lines.Add($"mis-shaped keys ({misshaped.Count}): {string.Join("; ", misshaped)}");
            throw new CheckpointException(string.Join(Environment.NewLine + "  ", lines))
            {
                MissingKeys = missing,
                UnexpectedKeys = unexpected,
                MisshapedKeys = misshaped,
            };
        }

        using (no_grad())
        {
            foreach (var (key, target) in expected)
                target.copy_(source[key]);
        }
    }

    private static string Shape(Tensor tensor) => $"({string.Join(", ", tensor.shape)})";

    private static Dictionary<string, Tensor> Read(string path, string what, Func<Dictionary<string, Tensor>> read)
    {
        if (!File.Exists(path))
            throw new CheckpointException($"{path}: file not found");
        try
        {
            return read();
        }
        catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException or InvalidCastException
                                      or FormatException or ArgumentException or KeyNotFoundException
                                      or InvalidOperationException or NotImplementedException or Razorvine.Pickle.PickleException)
        {
            throw new CheckpointException($"{path}: not {what} ({e.Message})", e);
        }
    }
}
