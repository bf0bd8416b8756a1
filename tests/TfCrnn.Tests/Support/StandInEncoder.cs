using Google.Protobuf;
using Onnx;
using TfCrnn.Interop.Onnx;
using TfCrnn.Runtime.SpeechEmbedding;
using static TfCrnn.Interop.Onnx.OnnxGraphBuilder;

namespace TfCrnn.Tests.Support;

/// <summary>
/// A small encoder the tests write themselves, with the real files' signatures, so that they run without the real
/// ones. <c>melspectrogram.onnx</c> is the real graph's computation node for node (the same operators, the Hann window,
/// DFT and mel filter weights computed here from their definitions: librosa's Slaney mel filters, 60–3800 Hz), so it
/// computes the same function. <c>embedding_model.onnx</c> is not the real network: one convolution over the whole
/// window (96 seeded random filters of 76 × 32) and a leaky ReLU, (windows, 76, 32, 1) → (windows, 1, 1, 96).
/// </summary>
internal static class StandInEncoder
{
    private const int Frame = 512;
    private const int Bins = Frame / 2 + 1;

    /// <summary>Writes both files into <paramref name="folder"/> and returns it.</summary>
    public static string Write(string folder, int seed = 33)
    {
        Directory.CreateDirectory(folder);
        foreach (var (name, bytes) in Files(seed))
            File.WriteAllBytes(Path.Combine(folder, name), bytes);
        return folder;
    }

    /// <summary>
    /// The files in a folder under <paramref name="root"/> named after their hash, written (each atomically) only where
    /// that folder lacks them, so that test runs, even side by side, share one folder per version of the stand-in.
    /// </summary>
    public static string WriteShared(string root)
    {
        var files = Files(seed: 33);
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(files.SelectMany(f => f.Bytes).ToArray()))[..12];
        var folder = Path.Combine(root, $"tfcrnn-stand-in-encoder-{hash}");
        Directory.CreateDirectory(folder);
        foreach (var (name, bytes) in files.Where(f => !File.Exists(Path.Combine(folder, f.Name))))
            TfCrnn.IO.AtomicFile.WriteAllBytes(Path.Combine(folder, name), bytes);
        return folder;
    }

    private static (string Name, byte[] Bytes)[] Files(int seed) =>
        [(SpeechEmbeddingEncoder.MelFile, MelGraph().ToByteArray()), (SpeechEmbeddingEncoder.EmbeddingFile, EmbeddingGraph(seed).ToByteArray())];

    /// <summary>As the real <c>melspectrogram.onnx</c>: input (batch, samples) int16-scaled, output (batch, 1, frames, 32) in dB, floored 80 dB below the maximum.</summary>
    public static ModelProto MelGraph()
    {
        var g = new OnnxGraphBuilder("stand-in-melspectrogram");
        g.Input("input", "batch_size", "samples");
        var window = new double[Frame];
        for (var n = 0; n < 400; n++)
            window[56 + n] = 0.5 - 0.5 * Math.Cos(2 * Math.PI * n / 400);
        var real = new float[Bins * Frame];
        var imag = new float[Bins * Frame];
        for (var k = 0; k < Bins; k++)
            for (var n = 0; n < Frame; n++)
            {
                var angle = 2 * Math.PI * k * n / Frame;
                real[k * Frame + n] = (float)(window[n] * Math.Cos(angle));
                imag[k * Frame + n] = (float)(-window[n] * Math.Sin(angle));
            }
        var waveform = g.Node("Unsqueeze", "stft", ["input", g.Int64s(1)]);
        string Spectrum(string name, float[] weights)
        {
            var conv = g.Node("Conv", "stft", [waveform, g.Constant($"stft.conv_{name}.weight", weights, Bins, 1, Frame)],
                Ints("dilations", 1), Int("group", 1), Ints("kernel_shape", Frame), Ints("pads", 0, 0), Ints("strides", 160));
            var planes = g.Node("Unsqueeze", "stft", [conv, g.Int64s(1)]);
            var frames = g.Node("Transpose", "stft", [planes], Ints("perm", 0, 1, 3, 2));
            return g.Node("Pow", "power", [frames, Scalar(g, $"two_{name}", 2)]);
        }
        var power = g.Node("Add", "power", [Spectrum("real", real), Spectrum("imag", imag)]);
        var mel = g.Node("MatMul", "mel", [power, g.Constant("melW", MelWeights(), Bins, 32)]);
        var clipped = g.Node("Clip", "log", [mel, Scalar(g, "amin", 1e-10f), Scalar(g, "inf", float.PositiveInfinity)]);
        var decibels = g.Node("Div", "log", [g.Node("Mul", "log", [g.Node("Log", "log", [clipped]), Scalar(g, "ten", 10)]), Scalar(g, "ln10", (float)Math.Log(10))]);
        var referenced = g.Node("Sub", "log", [decibels, Scalar(g, "ref_db", 0)]);
        var loudest = g.Node("ReduceMax", "top_db", [referenced], Int("keepdims", 0));
        var floor = g.Node("Cast", "top_db", [g.Node("Sub", "top_db", [loudest, Scalar(g, "top_db", 80)])], Int("to", (long)TensorProto.Types.DataType.Float));
        g.NamedNode("output", "Clip", "top_db", [referenced, floor, "inf"]);
        g.Output("output", "time", 1, "frames", 32);
        return Model(g, "stand-in for openWakeWord's melspectrogram.onnx");
    }

    /// <summary>(windows, 76, 32, 1) → (windows, 1, 1, 96): one seeded random 76 × 32 convolution and a leaky ReLU.</summary>
    public static ModelProto EmbeddingGraph(int seed)
    {
        var g = new OnnxGraphBuilder("stand-in-embedding");
        g.Input("input_1", "windows", SpeechEmbeddingGeometry.WindowFrames, SpeechEmbeddingGeometry.MelBands, 1);
        var random = new Random(seed);
        const int inputs = SpeechEmbeddingGeometry.WindowFrames * SpeechEmbeddingGeometry.MelBands;
        var weights = new float[SpeechEmbeddingGeometry.Dimensions * inputs];
        for (var i = 0; i < weights.Length; i++)
            weights[i] = (float)((random.NextDouble() * 2 - 1) / Math.Sqrt(inputs));
        var image = g.Node("Reshape", "embedding", ["input_1", g.Int64s(-1, 1, SpeechEmbeddingGeometry.WindowFrames, SpeechEmbeddingGeometry.MelBands)]);
        var conv = g.Node("Conv", "embedding", [image, g.Constant("filters", weights, SpeechEmbeddingGeometry.Dimensions, 1,
            SpeechEmbeddingGeometry.WindowFrames, SpeechEmbeddingGeometry.MelBands)], Ints("kernel_shape", SpeechEmbeddingGeometry.WindowFrames, SpeechEmbeddingGeometry.MelBands));
        var activated = g.Node("LeakyRelu", "embedding", [conv], new AttributeProto { Name = "alpha", Type = AttributeProto.Types.AttributeType.Float, F = 0.2f });
        g.NamedNode("conv2d_19", "Reshape", "embedding", [activated, g.Int64s(-1, 1, 1, SpeechEmbeddingGeometry.Dimensions)]);
        g.Output("conv2d_19", "windows", 1, 1, SpeechEmbeddingGeometry.Dimensions);
        return Model(g, "stand-in for openWakeWord's embedding_model.onnx");
    }

    /// <summary>librosa's <c>filters.mel(sr=16000, n_fft=512, n_mels=32, fmin=60, fmax=3800)</c>, (257, 32) row-major.</summary>
    private static float[] MelWeights()
    {
        static double Mel(double hz) => hz < 1000 ? hz * 3 / 200 : 15 + Math.Log(hz / 1000) * 27 / Math.Log(6.4);
        static double Hz(double mel) => mel < 15 ? mel * 200 / 3 : 1000 * Math.Exp((mel - 15) * Math.Log(6.4) / 27);
        var points = Enumerable.Range(0, 34).Select(i => Hz(Mel(60) + (Mel(3800) - Mel(60)) * i / 33)).ToArray();
        var weights = new float[Bins * 32];
        for (var m = 0; m < 32; m++)
            for (var k = 0; k < Bins; k++)
            {
                var hz = k * 16000.0 / Frame;
                var triangle = Math.Max(0, Math.Min((hz - points[m]) / (points[m + 1] - points[m]), (points[m + 2] - hz) / (points[m + 2] - points[m + 1])));
                weights[k * 32 + m] = (float)(triangle * 2 / (points[m + 2] - points[m]));
            }
        return weights;
    }

    private static string Scalar(OnnxGraphBuilder g, string name, float value) => g.Constant(name, [value]);

    private static ModelProto Model(OnnxGraphBuilder g, string doc)
    {
        var model = new ModelProto { IrVersion = 7, ProducerName = "tfcrnn tests", DocString = doc, Graph = g.Graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        return model;
    }
}
