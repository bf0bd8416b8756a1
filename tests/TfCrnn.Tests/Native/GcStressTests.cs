using TfCrnn.Analysis;
using TfCrnn.Audio;
using TfCrnn.Checkpoints;
using TfCrnn.Evaluation;
using TfCrnn.Streaming;
using TfCrnn.Tests.Support;
using TfCrnn.Training;

namespace TfCrnn.Tests.Native;

/// <summary>
/// The guard against native crashes from finalized TorchSharp objects (docs/torchsharp-scalars.md): the quickstart's
/// path at test size while <see cref="GcPressure"/> collects and finalizes during every native call. Before
/// BatchNormFolding held its scalars, this died within seconds in evaluation with the quickstart's "Expected false to
/// be true" from <c>THSTensor_add_scalar</c>. Alone in its collection: the pressure would reach other tests' code.
/// </summary>
[Collection(TorchGlobalStateCollection.Name)]
public sealed class GcStressTests
{
    [Fact]
    public async Task TrainingEvaluationAnalysesAndStreamingSurviveFinalizersDuringNativeCalls()
    {
        using var data = new ToneDataset(trainPerWord: 6, validPerWord: 2, testPerWord: 2);
        using var folder = new TempDirectory("gc-stress");
        var run = folder.Combine("run");
        var (audio, labels) = WriteStream(folder, data.Path);
        var training = ToneDataset.TinyTraining(data.Path, run, "tfcrnn-resse") with
        {
            Optimizer = Optimizers.Adam,
            LearningRate = 0.003,
            MaxEpochs = 1,
        };

        using var pressure = new GcPressure();
        await Trainer.RunAsync(training);
        // A second session loads the checkpoint (weights and Adam's state) before its epoch.
        var result = await Trainer.RunAsync(training with { MaxEpochs = 2, Resume = true });
        Assert.Equal(2, result.Epochs);
        var accuracies = new List<double>();
        foreach (var engine in new[] { InferenceEngine.Torch, InferenceEngine.Onnx })
        {
            var report = await Evaluator.RunAsync(new EvaluationOptions
            {
                Checkpoint = run,
                DataPath = data.Path,
                Engine = engine,
                BatchSize = 8,
                OutputDirectory = folder.Combine($"eval-{engine}"),
            });
            Assert.Equal(2 * ToneDataset.Words.Length, report.Clips);
            accuracies.Add(report.Accuracy);
        }
        Assert.Equal(accuracies[0], accuracies[1]);
        ModelAnalysisOptions Analysis(string name) => new()
        {
            Checkpoint = run,
            DataPath = data.Path,
            OutputDirectory = folder.Combine(name),
            Words = ["up", "yes"],
            BatchSize = 8,
        };
        var trajectory = await TrajectoryAnalysis.RunAsync(Analysis("trajectory"));
        var excitation = await ExcitationAnalysis.RunAsync(Analysis("excitation"));
        Assert.All(trajectory.Files.Concat(excitation.Files), file => Assert.True(File.Exists(file), file));
        foreach (var engine in new[] { InferenceEngine.Torch, InferenceEngine.Onnx })
        {
            var streamed = await StreamEvaluator.RunAsync(new StreamEvaluationOptions
            {
                Checkpoint = run,
                AudioPath = audio,
                LabelsPath = labels,
                Engine = engine,
                OutputDirectory = folder.Combine($"stream-{engine}"),
            });
            Assert.Equal(ToneDataset.Words.Length, streamed.Score.Labels);
        }

        // Far more collections than batches: each native call of the run had some running beside it.
        Assert.True(pressure.Collections > 1000, $"only {pressure.Collections} collections were forced");
    }

    /// <summary>A recording of one test clip of each word, half a second apart, and its labels.</summary>
    private static (string Audio, string Labels) WriteStream(TempDirectory folder, string dataPath)
    {
        var samples = new List<float>();
        var rows = new List<string> { "start_seconds,end_seconds,word" };
        var testClips = File.ReadAllLines(Path.Combine(dataPath, "testing_list.txt"));
        foreach (var word in ToneDataset.Words)
        {
            samples.AddRange(new float[8000]);
            var clip = WavFile.Read(Path.Combine(dataPath, testClips.First(c => c.StartsWith(word + "/", StringComparison.Ordinal))));
            rows.Add(FormattableString.Invariant($"{samples.Count / 16000.0},{(samples.Count + clip.Length) / 16000.0},{word}"));
            samples.AddRange(clip.FirstChannel());
        }
        samples.AddRange(new float[8000]);
        var audio = folder.Combine("stream.wav");
        WavFile.WritePcm16(audio, [.. samples], 16000);
        var labels = folder.Combine("labels.csv");
        File.WriteAllLines(labels, rows);
        return (audio, labels);
    }
}
