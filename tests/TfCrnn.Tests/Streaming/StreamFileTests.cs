using TfCrnn.Audio;
using TfCrnn.Checkpoints;
using TfCrnn.Runtime;
using TfCrnn.Streaming;
using TfCrnn.Tests.Support;

namespace TfCrnn.Tests.Streaming;

/// <summary>
/// <c>stream FILE</c> and <c>stream -</c> read a recording in chunks as it arrives; their detections are those of the
/// whole-file path that <c>stream</c> took before (the recording in memory, mixed down, resampled in one go, pushed at
/// once), whatever the format and however the reads split frames, samples and channels.
/// </summary>
public sealed class StreamFileTests : IDisposable
{
    private const int Rate = 16000;
    private readonly TempDirectory folder = new("stream-file");
    private readonly string model;

    public StreamFileTests()
    {
        model = folder.Combine("model");
        using var tiny = StreamingRecognizerTests.TinyModel("tfcrnn-basic");
        ModelFolder.Save(tiny, model);
    }

    public void Dispose() => folder.Dispose();

    /// <summary>Four seconds of tones coming and going, different in each channel, with a little noise.</summary>
    private static float[][] Recording(int channels, int sampleRate)
    {
        var random = new Random(channels + sampleRate);
        return [.. Enumerable.Range(0, channels).Select(c => Enumerable.Range(0, 4 * sampleRate).Select(t =>
        {
            var seconds = t / (double)sampleRate;
            var envelope = Math.Max(0, Math.Sin(Math.PI * seconds * (1.3 + 0.2 * c)));
            return (float)(0.4 * envelope * Math.Sin(2 * Math.PI * (250 + 150 * c) * seconds * (1 + seconds / 8)) + 0.02 * (random.NextDouble() - 0.5));
        }).ToArray())];
    }

    /// <summary>The whole-file path, the reference: all samples in memory, mixed down and resampled, then pushed.</summary>
    private static List<RecognitionStep> WholeFile(IStepModel stepModel, string path, RecognizerOptions options)
    {
        var audio = WavFile.Read(path);
        var mono = audio.MixDown();
        if (audio.SampleRate != Rate)
        {
            var resampler = new StreamingResampler(audio.SampleRate, Rate);
            mono = [.. resampler.Push(mono).ToArray(), .. resampler.Finish().ToArray()];
        }
        var recognizer = new StreamingRecognizer(stepModel, options);
        var steps = new List<RecognitionStep>();
        recognizer.Stepped += (_, step) => steps.Add(step);
        recognizer.Push(mono);
        return steps;
    }

    private static void AssertSameDetections(IReadOnlyList<Detection> expected, IReadOnlyList<Detection> actual, string what)
    {
        // libtorch may round a window's result differently from call to call (its kernels depend on memory alignment):
        // the detections agree exactly, their scores to float precision.
        Assert.True(expected.Select(d => (d.Word, d.Start, d.End)).SequenceEqual(actual.Select(d => (d.Word, d.Start, d.End))), what);
        Assert.Equal(expected.Select(d => d.Score), actual.Select(d => d.Score), (a, b) => Math.Abs(a - b) <= 1e-6);
    }

    [Theory]
    [InlineData(16000, 2, 24, false)]
    [InlineData(16000, 1, 16, false)]
    [InlineData(44100, 2, 32, true)]
    [InlineData(8000, 3, 8, false)]
    public async Task ReadInChunksTheDetectionsAreThoseOfTheWholeFile(int sampleRate, int channels, int bits, bool isFloat)
    {
        var path = folder.Combine($"{sampleRate}-{channels}-{bits}.wav");
        var bytes = new WavBuilder().Chunk("LIST", [1, 2, 3]).Format(isFloat ? (ushort)3 : (ushort)1, channels, sampleRate, bits)
            .Data(Recording(channels, sampleRate), bits, isFloat).Build();
        File.WriteAllBytes(path, bytes);
        using var stepModel = StepModels.Open(model, InferenceEngine.Torch, threads: 1);
        // A threshold the random model crosses now and then, so that there is something to compare.
        var probe = WholeFile(stepModel, path, new RecognizerOptions { Threshold = 1 });
        var recognizer = new RecognizerOptions { Threshold = ProbeThreshold.Median(probe.Select(s => s.Posteriors.Max())), RefractorySeconds = 0.3 };
        var expected = WholeFile(stepModel, path, recognizer).Where(s => s.Detection is not null).Select(s => s.Detection!).ToList();
        Assert.InRange(expected.Count, 2, probe.Count - 1);

        var options = new StreamOptions { Checkpoint = model, Engine = InferenceEngine.Torch, Recognizer = recognizer };
        var notes = new List<string>();
        var fromFile = await StreamRecognition.RunAsync(options, path, notes: notes.Add).ToListAsync();
        AssertSameDetections(expected, fromFile, $"{path} as a file");
        Assert.Equal([.. channels > 1 ? [$"{path}: mixed {channels} channels down to mono"] : Array.Empty<string>(),
            .. sampleRate != Rate ? [$"{path}: resampled from {sampleRate} Hz to {Rate} Hz"] : Array.Empty<string>()], notes);
        foreach (var size in new[] { 1, 3, 7, 1001 })
        {
            var piped = await StreamRecognition.RunAsync(options, new ChunkedPipe(bytes, size), "stdin").ToListAsync();
            AssertSameDetections(expected, piped, $"{path} piped {size} bytes at a time");
        }
    }
}
