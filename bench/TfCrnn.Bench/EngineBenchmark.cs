using System.Diagnostics;
using System.Text.Json;
using TfCrnn.Checkpoints;
using TfCrnn.Evaluation;
using TfCrnn.Interop.Onnx;
using TfCrnn.Models;
using TfCrnn.Runtime;
using TfCrnn.Streaming;
using TorchSharp;
using static TorchSharp.torch;

namespace TfCrnn.Bench;

/// <summary>
/// <c>TfCrnn.Bench engines --engine torch|onnx --model DIR [--exported DIR] [--seconds 60] [--clips 256] [--threads 1]</c>:
/// one engine on one model, in its own process so that its peak memory is its own (the script reads it with
/// <c>/usr/bin/time</c>): seconds to load, streaming real-time factor (the default recognizer, every lane), and clips
/// per second of batched whole-clip inference (batches of 64). Prints one JSON object.
/// </summary>
internal static class EngineBenchmark
{
    public static int Run(string[] args)
    {
        var options = args.Chunk(2).ToDictionary(p => p[0], p => p.ElementAtOrDefault(1) ?? "");
        var engine = Enum.Parse<InferenceEngine>(options["--engine"], ignoreCase: true);
        var checkpoint = engine == InferenceEngine.Onnx ? options["--exported"] : options["--model"];
        var seconds = int.Parse(options.GetValueOrDefault("--seconds", "60"));
        var clips = int.Parse(options.GetValueOrDefault("--clips", "256"));
        var threads = int.Parse(options.GetValueOrDefault("--threads", "1"));
        set_num_threads(threads);

        var load = Stopwatch.StartNew();
        using var stepModel = StepModels.Open(checkpoint, engine, threads);
        load.Stop();
        var recognizer = new StreamingRecognizer(stepModel);
        var audio = Noise(seconds * 16000, seed: 1);
        var stream = Stopwatch.StartNew();
        for (var start = 0; start < audio.Length; start += 1600)
            recognizer.Push(audio.AsSpan(start, Math.Min(1600, audio.Length - start)));
        stream.Stop();

        using var classifier = ClipClassifier.Open(checkpoint, engine, threads);
        const int batch = 64;
        var waveforms = Noise(batch * 16000, seed: 2);
        using var input = tensor(waveforms, [batch, 1, 16000]);
        using (var warmup = classifier.Logits(input)) { }
        var clip = Stopwatch.StartNew();
        for (var done = 0; done < clips; done += batch)
            using (classifier.Logits(input)) { }
        clip.Stop();

        Console.WriteLine(JsonSerializer.Serialize(new
        {
            engine = engine.ToString().ToLowerInvariant(),
            variant = stepModel.Info.Variant,
            threads,
            load_seconds = load.Elapsed.TotalSeconds,
            lanes = recognizer.LanesPerStep,
            stream_rtf = stream.Elapsed.TotalSeconds / seconds,
            clips_per_second = (clips + batch - 1) / batch * batch / clip.Elapsed.TotalSeconds,
        }));
        return 0;
    }

    /// <summary><c>TfCrnn.Bench export-random --model VARIANT --width W --out DIR</c>: a random model folder and its export.</summary>
    public static int ExportRandom(string[] args)
    {
        var options = args.Chunk(2).ToDictionary(p => p[0], p => p[1]);
        manual_seed(0);
        using var model = ModelFactory.Create(options["--model"], int.Parse(options["--width"]));
        model.eval();
        ModelFolder.Save(model, Path.Combine(options["--out"], "model"));
        OnnxExport.Run(new ExportOptions { Checkpoint = Path.Combine(options["--out"], "model"), OutputDirectory = Path.Combine(options["--out"], "onnx") });
        return 0;
    }

    private static float[] Noise(int length, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, length).Select(_ => (float)(0.1 * (random.NextDouble() - 0.5)))];
    }
}
