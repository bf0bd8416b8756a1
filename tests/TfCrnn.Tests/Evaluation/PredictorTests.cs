using TfCrnn.Audio;
using TfCrnn.Checkpoints;
using TfCrnn.Data;
using TfCrnn.Evaluation;
using TfCrnn.Tests.Support;

namespace TfCrnn.Tests.Evaluation;

public sealed class PredictorTests(TrainedRun run) : IClassFixture<TrainedRun>
{
    [Fact]
    public void PredictsADatasetClipAsTheEvaluatorDoes()
    {
        using var data = SpeechCommandsDataset.Open(run.Dataset.Path);
        var clip = data.Clips(Split.Test)[0];
        using var model = CheckpointLocator.LoadModel(run.Path);
        var expected = Evaluator.Evaluate(model, data, [clip]).Predictions[0];

        var result = Predictor.Predict(new PredictionOptions
        {
            Checkpoint = run.Path,
            Files = [Path.Combine(run.Dataset.Path, clip.RelativePath)],
            Top = 3,
        }).Single();

        Assert.Equal(3, result.Top.Count);
        Assert.Equal(Labels.All[expected.Predicted], result.Top[0].Word);
        Assert.True(result.Top[0].Probability >= result.Top[1].Probability);
        Assert.Equal(9, result.StepProbabilities.Length);
        for (var s = 0; s < 9; s++)
            Assert.Equal(expected.StepProbabilities[s], result.StepProbabilities[s], (a, b) => Math.Abs(a - b) < 1e-5);
    }

    [Fact]
    public void ALongStereo8khzWavIsMixedResampledAndCentreCut()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("long.wav");
        // 3 s at 8 kHz: a ramp on the left, the same ramp + 0.2 on the right, so the mono mix at 8 kHz sample i is
        // 0.1 + 0.5 i / 24000 and every output sample tells where in the file it came from.
        const int frames = 3 * 8000;
        var left = Enumerable.Range(0, frames).Select(i => 0.5f * i / frames).ToArray();
        var right = left.Select(v => v + 0.2f).ToArray();
        File.WriteAllBytes(path, new WavBuilder().Format(1, channels: 2, sampleRate: 8000, bits: 16).Data([left, right], bits: 16).Build());

        var (waveform, notes) = Predictor.Load(path);

        Assert.Equal(["mixed 2 channels down to mono", "resampled from 8000 Hz to 16000 Hz", "3 s long: kept the middle 1 s"], notes);
        Assert.Equal(Preprocessing.ClipSamples, waveform.Length);
        // Output sample k is 16 kHz sample 16000 + k of the 48,000 (the middle second), i.e. 8 kHz sample (16000 + k) / 2.
        for (var k = 0; k < waveform.Length; k += 97)
        {
            var expected = 0.1 + 0.5 * ((16000 + k) / 2.0) / frames;
            Assert.True(Math.Abs(waveform[k] / Preprocessing.InputScale - expected) < 2e-3, $"sample {k}: {waveform[k] / Preprocessing.InputScale} vs {expected}");
        }
    }

    [Fact]
    public void AShortWavIsZeroPaddedAroundItsCentreAndScaled()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("short.wav");
        WavFile.WritePcm16(path, Enumerable.Repeat(0.25f, 4000).ToArray(), 16000);

        var (waveform, notes) = Predictor.Load(path);

        Assert.Equal(["0.25 s long: zero-padded to 1 s, centred"], notes);
        Assert.All(waveform[..6000], s => Assert.Equal(0f, s));
        Assert.All(waveform[6000..10000], s => Assert.Equal(0.25f * Preprocessing.InputScale, s, 1e-6f));
        Assert.All(waveform[10000..], s => Assert.Equal(0f, s));
    }
}
