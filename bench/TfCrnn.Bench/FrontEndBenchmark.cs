using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using TfCrnn.Audio;
using TfCrnn.Runtime;
using TfCrnn.Runtime.SpeechEmbedding;
using TfCrnn.SpeechEmbedding;
using static TfCrnn.Runtime.SpeechEmbedding.SpeechEmbeddingGeometry;

namespace TfCrnn.Bench;

/// <summary>
/// <c>TfCrnn.Bench front-end [--encoder DIR] [--dev bench/real/dev] [--clips 200] [--batch 32] [--stream-seconds 60] [--threads 1]</c>: the cost of
/// the speech-embedding front end (<see cref="SpeechEmbeddingEncoder"/>) on one thread: the C# log-mel of a padded clip
/// (against <c>melspectrogram.onnx</c> on ONNX Runtime, called per block), the embedding network per clip (16 windows;
/// clips batched as the embedding cache batches them, and one at a time), and a stream's 80-ms step (one block of log-mel
/// and one window through the network). Clips: those of <c>--dev</c>, in turn.
/// </summary>
internal static class FrontEndBenchmark
{
    public static int Run(string[] args)
    {
        var options = new BenchOptions(args);
        var folder = EncoderFiles.Locate(options.String("--encoder"));
        var clipCount = options.Int("--clips", 200);
        var batch = options.Int("--batch", 32);
        var streamSeconds = options.Int("--stream-seconds", 60);
        var threads = options.Int("--threads", 1);
        var clips = DevClips(options.String("--dev") ?? Path.Combine("bench", "real", "dev"), clipCount);
        using var encoder = SpeechEmbeddingEncoder.Open(folder, threads);

        // Warm up (JIT, ONNX Runtime's first runs).
        encoder.EmbedClips(clips.Take(batch).SelectMany(c => c).ToArray(), batch);

        var padded = clips.Select(c => { var p = new float[PaddedClipSamples]; c.CopyTo(p, ClipPadBefore); return p; }).ToList();
        var mel = Time(() => { foreach (var p in padded) LogMelSpectrogram.ComputeBlocks(p); }, clipCount);
        var graph = OnnxMel(folder, padded, threads);
        var batches = clipCount / batch;
        var batched = Time(() =>
        {
            for (var b = 0; b < batches; b++)
                encoder.EmbedClips(clips.Skip(b * batch).Take(batch).SelectMany(c => c).ToArray(), batch);
        }, batches * batch);
        var single = Time(() => { foreach (var clip in clips) encoder.EmbedClip(clip); }, clipCount);

        var recording = Enumerable.Range(0, streamSeconds * SampleRate / ClipSamples + 1).SelectMany(i => clips[i % clipCount]).ToArray();
        var stream = encoder.CreateStream();
        var steps = 0;
        var streamed = Time(() =>
        {
            for (var start = 0; start + StepSamples <= recording.Length; start += StepSamples)
                steps += stream.Push(recording.AsSpan(start, StepSamples)).Count;
        }, 1);
        var audioSeconds = recording.Length / (double)SampleRate;

        BenchOptions.Print(new Dictionary<string, object>
        {
            ["benchmark"] = "front-end",
            ["onnx_threads"] = threads,
            ["clips"] = clipCount,
            ["log_mel_ms_per_clip"] = mel.Round(),
            ["melspectrogram_onnx_ms_per_clip"] = graph.Round(),
            ["encoder_ms_per_clip_batched"] = batched.Round(),
            ["batch_clips"] = batch,
            ["encoder_ms_per_clip_one_at_a_time"] = single.Round(),
            ["stream_steps"] = steps,
            ["stream_ms_per_80ms_step"] = (streamed / steps).Round(),
            ["stream_real_time_factor_cpu"] = Math.Round(streamed.CpuMs / 1000 / audioSeconds, 4),
            ["stream_real_time_factor_wall"] = Math.Round(streamed.WallMs / 1000 / audioSeconds, 4),
        });
        return 0;
    }

    /// <summary>Wall and CPU milliseconds of <paramref name="work"/> per item (CPU time: the machine may be shared).</summary>
    private readonly record struct Cost(double WallMs, double CpuMs)
    {
        public static Cost operator /(Cost cost, double items) => new(cost.WallMs / items, cost.CpuMs / items);

        public object Round() => new { wall = Math.Round(WallMs, 3), cpu = Math.Round(CpuMs, 3) };
    }

    private static Cost Time(Action work, int items)
    {
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        work();
        process.Refresh();
        return new Cost(clock.Elapsed.TotalMilliseconds, (process.TotalProcessorTime - cpu).TotalMilliseconds) / items;
    }

    /// <summary>melspectrogram.onnx on ONNX Runtime, one call per block (openWakeWord's streaming calls), per padded clip.</summary>
    private static Cost OnnxMel(string folder, IReadOnlyList<float[]> padded, int threads)
    {
        using var sessionOptions = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1 };
        using var session = new InferenceSession(Path.Combine(folder, SpeechEmbeddingEncoder.MelFile), sessionOptions);
        using var runOptions = new RunOptions();
        var block = new float[BlockSamples];
        var frames = new float[BlockFrames * MelBands];
        return Time(() =>
        {
            foreach (var p in padded)
                for (var b = 0; b < BlocksIn(p.Length); b++)
                {
                    for (var i = 0; i < BlockSamples; i++) block[i] = p[b * StepSamples + i] * InputScale;
                    using var input = OrtValue.CreateTensorValueFromMemory(block, [1, BlockSamples]);
                    using var output = OrtValue.CreateTensorValueFromMemory(frames, [1, 1, BlockFrames, MelBands]);
                    session.Run(runOptions, [session.InputNames[0]], [input], [session.OutputNames[0]], [output]);
                }
        }, padded.Count);
    }

    private static List<float[]> DevClips(string dev, int count)
    {
        var files = Directory.EnumerateFiles(dev, "*.wav", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var clip = new float[ClipSamples];
            ClipInput.Prepare(WavFile.Read(files[i % files.Count]).FirstChannel(), clip, 1f);
            return clip;
        })];
    }
}
