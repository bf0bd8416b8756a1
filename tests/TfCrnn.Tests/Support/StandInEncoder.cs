using Google.Protobuf;
using Onnx;
using TfCrnn.Models.Onnx;
using TfCrnn.Runtime.SpeechEmbedding;
using static TfCrnn.Models.Onnx.OnnxGraphBuilder;

namespace TfCrnn.Tests.Support;

/// <summary>
/// A small encoder the tests write themselves, with the real files' signatures, so that they run without the real
/// ones; small enough (about 90 KB) that the shared recognizer cases commit it (tests/fixtures/recognizer/).
/// <c>melspectrogram.onnx</c> computes what the real graph computes with the real graph's operators after its weights
/// (convolutions with the windowed DFT, power, mel filters, decibels, the 80-dB floor), its DFT weights and Hann window
/// computed inside the graph from their definitions (angles from integer products mod 512, so exact before the cosine)
/// and librosa's Slaney mel filters (60–3800 Hz) stored. <c>embedding_model.onnx</c> is not the real network: seeded
/// random weightings of the 76 frames (4 per band), a seeded random linear map to 96 and a leaky ReLU,
/// (windows, 76, 32, 1) → (windows, 1, 1, 96).
/// </summary>
internal static class StandInEncoder
{
    private const int Frame = 512;
    private const int Bins = Frame / 2 + 1;
    private const int Window = 400;

    /// <summary>Frame weightings per band of the stand-in embedding.</summary>
    private const int Weightings = 4;

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
        // The periodic Hann window of 400 samples centred in the 512-sample frame, and the DFT's angles 2π·(k·n mod 512)/512.
        var n = g.Node("Range", "window", [Int64(g, "zero", 0), Int64(g, "window_length", Window), Int64(g, "one", 1)]);
        var cosine = g.Node("Cos", "window", [g.Node("Mul", "window", [Float(g, n), Scalar(g, "window_angle", (float)(2 * Math.PI / Window))])]);
        var hann = g.Node("Sub", "window", [Scalar(g, "half", 0.5f), g.Node("Mul", "window", [Scalar(g, "half_", 0.5f), cosine])]);
        var padding = (Frame - Window) / 2;
        var window = g.Node("Pad", "window", [hann, g.Int64s(padding, padding)]);
        var samples = g.Node("Range", "dft", ["zero", Int64(g, "frame", Frame), "one"]);
        var bins = g.Node("Range", "dft", ["zero", Int64(g, "bins", Bins), "one"]);
        var products = g.Node("Mul", "dft", [g.Node("Unsqueeze", "dft", [bins, g.Int64s(1)]), g.Node("Unsqueeze", "dft", [samples, g.Int64s(0)])]);
        var angles = g.Node("Mul", "dft", [Float(g, g.Node("Mod", "dft", [products, "frame"])), Scalar(g, "dft_angle", (float)(2 * Math.PI / Frame))]);
        var waveform = g.Node("Unsqueeze", "stft", ["input", g.Int64s(1)]);
        string Spectrum(string name, string weights)
        {
            var kernel = g.Node("Unsqueeze", "stft", [g.Node("Mul", "stft", [weights, window]), g.Int64s(1)]); // (257, 1, 512)
            var conv = g.Node("Conv", "stft", [waveform, kernel],
                Ints("dilations", 1), Int("group", 1), Ints("kernel_shape", Frame), Ints("pads", 0, 0), Ints("strides", 160));
            var planes = g.Node("Unsqueeze", "stft", [conv, g.Int64s(1)]);
            var frames = g.Node("Transpose", "stft", [planes], Ints("perm", 0, 1, 3, 2));
            return g.Node("Pow", "power", [frames, Scalar(g, $"two_{name}", 2)]);
        }
        var power = g.Node("Add", "power", [Spectrum("real", g.Node("Cos", "dft", [angles])),
            Spectrum("imag", g.Node("Neg", "dft", [g.Node("Sin", "dft", [angles])]))]);
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

    /// <summary>
    /// (windows, 76, 32, 1) → (windows, 1, 1, 96): <see cref="Weightings"/> seeded random weightings of the 76 frames of
    /// every band, a seeded random linear map of those 4 × 32 values to 96, and a leaky ReLU.
    /// </summary>
    public static ModelProto EmbeddingGraph(int seed)
    {
        const int frames = SpeechEmbeddingGeometry.WindowFrames, bands = SpeechEmbeddingGeometry.MelBands, dimensions = SpeechEmbeddingGeometry.Dimensions;
        var g = new OnnxGraphBuilder("stand-in-embedding");
        g.Input("input_1", "windows", frames, bands, 1);
        var random = new Random(seed);
        float[] Uniform(int count, int fanIn) => [.. Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2 - 1) * Math.Sqrt(3.0 / fanIn)))];
        var image = g.Node("Reshape", "embedding", ["input_1", g.Int64s(-1, 1, frames, bands)]);
        var weighted = g.Node("Conv", "embedding", [image, g.Constant("frame_weightings", Uniform(Weightings * frames, frames), Weightings, 1, frames, 1)],
            Ints("kernel_shape", frames, 1)); // (windows, 4, 1, 32)
        var flat = g.Node("Reshape", "embedding", [weighted, g.Int64s(-1, Weightings * bands)]);
        var mapped = g.Node("MatMul", "embedding", [flat, g.Constant("projection", Uniform(Weightings * bands * dimensions, Weightings * bands), Weightings * bands, dimensions)]);
        var activated = g.Node("LeakyRelu", "embedding", [mapped], new AttributeProto { Name = "alpha", Type = AttributeProto.Types.AttributeType.Float, F = 0.2f });
        g.NamedNode("conv2d_19", "Reshape", "embedding", [activated, g.Int64s(-1, 1, 1, dimensions)]);
        g.Output("conv2d_19", "windows", 1, 1, dimensions);
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

    private static string Int64(OnnxGraphBuilder g, string name, long value) => g.Constant(name, new long[] { value });

    private static string Float(OnnxGraphBuilder g, string x) => g.Node("Cast", "cast", [x], Int("to", (long)TensorProto.Types.DataType.Float));

    private static ModelProto Model(OnnxGraphBuilder g, string doc)
    {
        var model = new ModelProto { IrVersion = 7, ProducerName = "tfcrnn tests", DocString = doc, Graph = g.Graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        return model;
    }
}
