using TfCrnn.Checkpoints;
using TfCrnn.Data;
using TfCrnn.Evaluation;
using TfCrnn.Runtime;
using TfCrnn.Tests.Support;
using TfCrnn.Training;

namespace TfCrnn.Tests.Training;

// A seeded run judged against fixed thresholds: alone, like the other trainer tests.
[Collection(TorchGlobalStateCollection.Name)]
public sealed class RejectionTrainingTests
{
    [Fact]
    public async Task ATinyModelLearnsToRejectOtherWordsAndNoise()
    {
        using var tones = new ToneDataset(trainPerWord: 8, validPerWord: 2, testPerWord: 2, otherWords: true, noiseRecordings: 2);
        using var run = new TempDirectory("reject");
        var options = ToneDataset.TinyTraining(tones.Path, run.Path, "crnn-basic") with
        {
            Task = LabelTasks.CommandsAndNone,
            MaxEpochs = 12,
            LearningRate = 0.1,
            Seed = 3,
            // Many rejection examples for a set this small: half as many other-word clips and noise slices as commands.
            Rejection = new RejectionMix { UnknownPercent = 50, SilencePercent = 50 },
        };

        await Trainer.RunAsync(options);

        using var model = CheckpointLocator.LoadModel(run.Path);
        Assert.Equal([.. LabelTasks.Commands.Classes.Labels, "_none_"], model.Config.Labels);
        using var data = SpeechCommandsDataset.Open(tones.Path);
        var train = Evaluator.Evaluate(model, data, data.Clips(Split.Train));
        // 48 command clips and 16 other-word clips, every one of them scored.
        Assert.Equal(64, train.Clips);
        var rejection = train.Rejection!;
        Assert.Equal((48, 16), (rejection.KeywordClips, rejection.OtherClips));
        Assert.True(train.Accuracy >= 0.5, $"command accuracy {train.Accuracy}, rejected {rejection.KeywordsRejected} commands, {rejection.OthersRejected} others");
        Assert.True(rejection.CorrectRejectionRate >= 0.8, $"other words rejected {rejection.CorrectRejectionRate}");
        Assert.True(rejection.FalseRejectionRate <= 0.1, $"commands rejected {rejection.FalseRejectionRate}");
        // Noise alone is rejected too.
        var withNoise = Evaluator.Evaluate(model, data, data.Clips(Split.Train), rejection: options.Rejection);
        var noise = withNoise.Predictions.Where(p => p.Clip.Label == SpeechCommandsDataset.BackgroundNoiseFolder).ToList();
        Assert.Equal(24, noise.Count);
        Assert.True(noise.Count(p => p.Correct) >= 20, $"{noise.Count(p => p.Correct)} of 24 noise slices rejected");
    }
}
