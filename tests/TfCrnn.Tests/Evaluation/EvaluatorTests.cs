using System.Text.Json;
using TfCrnn.Data;
using TfCrnn.Evaluation;
using TfCrnn.Runtime;
using TfCrnn.Tests.Support;
using static TorchSharp.torch;

namespace TfCrnn.Tests.Evaluation;

public class EvaluatorTests
{
    private static readonly string[] ThreeWords = ["bed", "cat", "dog"];

    private static Clip ClipOf(int label, int n) => new($"{ThreeWords[label]}/{n}_nohash_0.wav", ThreeWords[label], Split.Test);

    /// <summary>
    /// Six clips, two steps, three classes. Last-step predictions: clip0 0→0, clip1 0→1, clip2 1→1,
    /// clip3 2→2, clip4 2→0, clip5 2→2 (true→predicted). The first step always favours class 2 and must not count.
    /// </summary>
    private static EvaluationReport HandReport()
    {
        int[] labels = [0, 0, 1, 2, 2, 2];
        int[] predicted = [0, 1, 1, 2, 0, 2];
        var logits = new float[2 * 6 * 3];
        for (var b = 0; b < 6; b++)
        {
            logits[(0 * 6 + b) * 3 + 2] = 5;                 // step 0: class 2
            logits[(1 * 6 + b) * 3 + predicted[b]] = MathF.Log(4); // step 1: p(predicted) = 4/6, others 1/6
        }
        var accumulator = new EvaluationAccumulator(LabelSet.FromLabels(ThreeWords));
        using var logitTensor = tensor(logits, [2, 6, 3]);
        using var labelTensor = tensor(labels.Select(l => (long)l).ToArray());
        // Two batches (3 + 3) as the evaluator feeds them.
        using (var a = logitTensor[.., ..3]) using (var la = labelTensor[..3])
            accumulator.Add([.. Enumerable.Range(0, 3).Select(i => ClipOf(labels[i], i))], a, la);
        using (var b = logitTensor[.., 3..]) using (var lb = labelTensor[3..])
            accumulator.Add([.. Enumerable.Range(3, 3).Select(i => ClipOf(labels[i], i))], b, lb);
        return accumulator.ToReport();
    }

    /// <summary>The library checks which of <c>tfcrnn eval</c>'s modes the options given belong to.</summary>
    [Fact]
    public void TheModesOptionsFitTogether()
    {
        EvaluationOptions.CheckMode(["--checkpoint", "--data", "--split", "--snr", "--noise-seed"]);
        EvaluationOptions.CheckMode(["--checkpoint", "--data", "--twelve-label", "--json"]);
        Assert.Equal("--snr cannot be combined with --twelve-label",
            Assert.Throws<OptionException>(() => EvaluationOptions.CheckMode(["--twelve-label", "--snr"])).Message);
        Assert.Equal("--split does not apply to --twelve-label, which scores the whole folder",
            Assert.Throws<OptionException>(() => EvaluationOptions.CheckMode(["--split", "--twelve-label"])).Message);
        Assert.Equal("--noise-seed needs --snr", Assert.Throws<OptionException>(() => EvaluationOptions.CheckMode(["--noise-seed"])).Message);
    }

    [Fact]
    public void ScoresMatchAHandComputedConfusionMatrix()
    {
        var report = HandReport();
        long[,] expected = { { 1, 1, 0 }, { 0, 1, 0 }, { 1, 0, 2 } };
        for (var i = 0; i < 3; i++)
            for (var j = 0; j < 3; j++)
                Assert.Equal(expected[i, j], report.Confusion[i, j]);
        Assert.Equal(6, report.Clips);
        Assert.Equal(4 / 6.0, report.Accuracy, 12);
        // Right clips: −ln(4/6); wrong ones: −ln(1/6).
        Assert.Equal((4 * -Math.Log(4 / 6.0) + 2 * -Math.Log(1 / 6.0)) / 6, report.Loss, 5);

        // bed: P = 1/2 (1 of bed, 1 of dog predicted bed), R = 1/2; cat: P = 1/2, R = 1; dog: P = 1, R = 2/3.
        Assert.Equal([0.5, 0.5, 1.0], report.PerClass.Select(c => Math.Round(c.Precision, 12)));
        Assert.Equal([0.5, 1.0, Math.Round(2 / 3.0, 12)], report.PerClass.Select(c => Math.Round(c.Recall, 12)));
        Assert.Equal([0.5, Math.Round(2 / 3.0, 12), 0.8], report.PerClass.Select(c => Math.Round(c.F1, 12)));
        Assert.Equal([2L, 1L, 3L], report.PerClass.Select(c => c.Support));
    }

    [Fact]
    public void PredictionsKeepEveryStepsProbabilities()
    {
        var report = HandReport();
        var clip4 = report.Predictions[4];
        Assert.Equal("dog/4_nohash_0.wav", clip4.Clip.RelativePath);
        Assert.Equal(0, clip4.Predicted);
        Assert.Equal(2, clip4.StepProbabilities.Length);
        Assert.Equal(MathF.Exp(5) / (MathF.Exp(5) + 2), clip4.StepProbabilities[0][2], 5);
        Assert.Equal([4 / 6f, 1 / 6f, 1 / 6f], clip4.StepProbabilities[1].Select(p => MathF.Round(p, 5)), (x, y) => Math.Abs(x - y) < 1e-5);
        Assert.Equal(1 / 6f, clip4.Trajectory(2)[1], 5);
    }

    [Fact]
    public void FilesHoldTheReport()
    {
        using var dir = new TempDirectory();
        EvaluationFiles.Write(HandReport(), dir.Path);

        using var json = JsonDocument.Parse(File.ReadAllText(dir.Combine(EvaluationFiles.Json)));
        Assert.Equal(4 / 6.0, json.RootElement.GetProperty("accuracy").GetDouble(), 12);
        Assert.Equal(6, json.RootElement.GetProperty("clips").GetInt32());
        Assert.True(json.RootElement.GetProperty("loss").GetDouble() > 0);
        Assert.Equal(0.8, json.RootElement.GetProperty("per_class").GetProperty("dog").GetProperty("f1").GetDouble(), 12);
        Assert.Equal(3, json.RootElement.GetProperty("per_class").GetProperty("dog").GetProperty("support").GetInt32());

        Assert.Equal(["true\\predicted,bed,cat,dog", "bed,1,1,0", "cat,0,1,0", "dog,1,0,2"],
            File.ReadAllLines(dir.Combine(EvaluationFiles.ConfusionCsv)));
        Assert.Equal("cat,0.5,1,0.6666666666666666,1", File.ReadAllLines(dir.Combine(EvaluationFiles.PerClassCsv))[2]);
        var predictions = File.ReadAllLines(dir.Combine(EvaluationFiles.PredictionsCsv));
        Assert.Equal("file,label,predicted,correct,confidence,p_label_step1,p_label_step2", predictions[0]);
        Assert.Equal(7, predictions.Length);
        var row = predictions[5].Split(',');
        Assert.Equal(["dog/4_nohash_0.wav", "dog", "bed", "0"], row[..4]);
        Assert.Equal(4 / 6.0, double.Parse(row[4], System.Globalization.CultureInfo.InvariantCulture), 5);
        Assert.Equal(1 / 6.0, double.Parse(row[6], System.Globalization.CultureInfo.InvariantCulture), 5);

        var png = File.ReadAllBytes(dir.Combine(EvaluationFiles.ConfusionPng));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        Assert.Empty(Directory.GetFiles(dir.Path, ".*"));
    }
}
