using TfCrnn.Interop;
using TfCrnn.Audio;
using TfCrnn.Data;
using TfCrnn.Evaluation;
using TfCrnn.Tests.Support;
using TfCrnn.Training;

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
    public void AnyWavIsFittedToOneSecondAt16KHzWithNotes()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("long.wav");
        WavFile.WritePcm16(path, new float[8000 * 3], 8000);
        var (waveform, notes) = Predictor.Load(path);
        Assert.Equal(Preprocessing.ClipSamples, waveform.Length);
        Assert.Equal(["resampled from 8000 Hz to 16000 Hz", "3 s long: kept the middle 1 s"], notes);
    }
}
