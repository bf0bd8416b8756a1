using TfCrnn.Data;
using TfCrnn.Evaluation;
using TfCrnn.Models;
using TfCrnn.Runtime;
using TfCrnn.Streaming;
using TfCrnn.Tests.Support;

namespace TfCrnn.Tests.Streaming;

public sealed class StreamingRecognizerTests
{
    private const int Rate = 16000;

    /// <summary>
    /// A tiny model with random weights: what is compared is the arithmetic, not what it learnt. Its convolutions are
    /// scaled up so that the signal does not fade through the blocks (the default initialisation shrinks it by about
    /// 3 per block) and the output depends on the audio.
    /// </summary>
    internal static SpeechCommandModel TinyModel(string variant, double? stepMs = null)
    {
        var model = ModelFactory.Create((ModelConfig.For(variant) with { Width = 8, HiddenSize = 16 }).WithStep(stepMs));
        using var noGrad = TorchSharp.torch.no_grad();
        foreach (var (_, parameter) in model.named_parameters().Where(p => p.parameter.dim() == 3))
            parameter.mul_(2);
        return model;
    }

    private static float[] Tone(int length, double frequency, double amplitude, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, length).Select(t =>
            (float)(amplitude * Math.Sin(2 * Math.PI * frequency * t / Rate) * Math.Sin(Math.PI * t / length) + 0.01 * (random.NextDouble() - 0.5)))];
    }

    private static List<RecognitionStep> Run(IStepModel model, float[] audio, RecognizerOptions options, int chunk)
    {
        var recognizer = new StreamingRecognizer(model, options);
        var steps = new List<RecognitionStep>();
        recognizer.Stepped += (_, step) => steps.Add(step);
        for (var start = 0; start < audio.Length; start += chunk)
            recognizer.Push(audio.AsSpan(start, Math.Min(chunk, audio.Length - start)));
        return steps;
    }

    [Theory]
    [InlineData("tfcrnn-se", null)]
    [InlineData("crnn-basic", null)]
    [InlineData("cnn-basic", null)]
    [InlineData("harmonic-cnn", null)] // a baseline slides as the CNNs do (AttnCRNN's: BaselineVerbTests)
    [InlineData("tfcrnn-basic", 50.0)] // 19 steps of 1,600-sample windows
    [InlineData("crnn-se", 75.0)] // a 2,400-sample window does not divide the clip: 11 steps, as in training, not 12
    public void SlidingStateGivesOfflinePredictOfTheWindowThatCoversAClip(string variant, double? stepMs)
    {
        using var model = TinyModel(variant, stepMs);
        using var stepModel = new TorchStepModel(model);
        var info = stepModel.Info;
        Assert.Equal(model.Config.Steps, info.StepsPerClip);
        var clip = Tone(Rate, 440, 0.3, seed: 1);
        // Silence, the clip at a hop boundary, silence.
        var offset = 27 * info.Hop;
        var audio = new float[offset + Rate + 2 * Rate];
        clip.CopyTo(audio, offset);

        var steps = Run(stepModel, audio, new RecognizerOptions { State = StatePolicy.Sliding, SmoothingSteps = 1, Threshold = 1 }, info.Hop);

        var expected = Predictor.Probabilities(model, Preprocessing.Prepare(clip))[^1];
        // The lane that started at the clip's first sample takes its last step there.
        var end = offset + (info.StepsPerClip - 1) * info.Hop + info.Window;
        var covering = steps.Single(s => Math.Abs(s.End - end / (double)Rate) < 1e-9);
        Assert.Equal(expected, covering.Posteriors, (a, b) => Math.Abs(a - b) <= 1e-5);
        // The steps around it hear other audio and say something else.
        Assert.NotEqual(expected, steps[(int)covering.Index - 3].Posteriors, (a, b) => Math.Abs(a - b) <= 1e-5);
        Assert.Equal(audio.Length / info.Hop, steps.Count);
    }

    [Fact]
    public void ChunksOfAnySizeGiveIdenticalStepsAndDetections()
    {
        using var model = TinyModel("tfcrnn-basic");
        using var stepModel = new TorchStepModel(model);
        float[] audio = [.. Tone(9000, 300, 0.2, 2), .. new float[5000], .. Tone(14000, 900, 0.4, 3), .. new float[3777], .. Tone(8000, 600, 0.1, 4)];
        var probe = Run(stepModel, audio, new RecognizerOptions { Threshold = 1 }, 1600);
        // A threshold the random model crosses now and then, so that there is something to compare.
        var options = new RecognizerOptions
        {
            State = StatePolicy.Staggered(2, 12),
            SmoothingSteps = 2,
            Threshold = ProbeThreshold.Median(probe.Select(s => s.Posteriors.Max())),
            RefractorySeconds = 0.3,
        };

        var reference = Run(stepModel, audio, options, 1600);
        var detections = reference.Where(s => s.Detection is not null).Select(s => s.Detection!).ToList();
        Assert.InRange(detections.Count, 2, reference.Count - 1);
        // The windows are the same whatever the chunks; libtorch may round a window's result differently from call to
        // call (its kernels depend on memory alignment), so the numbers agree to float precision, the detections exactly.
        foreach (var chunk in new[] { 1, 160, 7777 })
        {
            var steps = Run(stepModel, audio, options, chunk);
            Assert.Equal(reference.Select(s => s.End), steps.Select(s => s.End));
            Assert.Equal(reference.SelectMany(s => s.Posteriors), steps.SelectMany(s => s.Posteriors), (a, b) => Math.Abs(a - b) <= 1e-6);
            Assert.Equal(detections.Select(d => (d.Word, d.Start, d.End)), steps.Where(s => s.Detection is not null).Select(s => (s.Detection!.Word, s.Detection.Start, s.Detection.End)));
            Assert.Equal(detections.Select(d => d.Score), steps.Where(s => s.Detection is not null).Select(s => s.Detection!.Score), (a, b) => Math.Abs(a - b) <= 1e-6);
        }
    }

    [Fact]
    public void RecognizeAsyncReadsPcmAsPushDoes()
    {
        using var model = TinyModel("crnn-se");
        using var stepModel = new TorchStepModel(model);
        var audio = Tone(3 * Rate + 123, 500, 0.3, 5).Select(s => WavFile16(s)).ToArray();
        var options = new RecognizerOptions { Threshold = 0, RefractorySeconds = 0.5 };
        var expected = new StreamingRecognizer(stepModel, options).Push(audio);
        var bytes = audio.SelectMany(s => BitConverter.GetBytes(TfCrnn.Audio.WavFile.ToPcm16(s))).ToArray();

        var detections = new StreamingRecognizer(stepModel, options)
            .RecognizeAsync(new MemoryStream(bytes), "test").ToBlockingEnumerable().ToList();

        Assert.Equal(6, expected.Count);
        Assert.Equal(expected, detections);
    }

    private static float WavFile16(float sample) => TfCrnn.Audio.WavFile.ToPcm16(sample) / 32768f;
}
