using TfCrnn.Analysis;
using TfCrnn.Evaluation;
using TfCrnn.Tests.Support;

namespace TfCrnn.Tests.Analysis;

public class FailureAnalysisTests
{
    private static readonly string[] Words = ["down", "go", "up"];

    private static ConfusionMatrix Matrix(params (int Actual, int Predicted, int Count)[] cells)
    {
        var matrix = new ConfusionMatrix(Words);
        foreach (var (actual, predicted, count) in cells)
            for (var i = 0; i < count; i++) matrix.Add(actual, predicted);
        return matrix;
    }

    // down: 8 right, 2 as go; go: 6 right, 3 as down, 1 as up; up: 10 right.
    private static ConfusionMatrix Baseline() => Matrix((0, 0, 8), (0, 1, 2), (1, 1, 6), (1, 0, 3), (1, 2, 1), (2, 2, 10));

    // down: 10 right; go: 9 right, 1 as up; up: 9 right, 1 as go.
    private static ConfusionMatrix Candidate() => Matrix((0, 0, 10), (1, 1, 9), (1, 2, 1), (2, 2, 9), (2, 1, 1));

    [Fact]
    public void F1AndDifferencesMatchHandValuesSortedByGain()
    {
        var comparison = FailureAnalysis.Compare(Baseline(), Candidate());

        // F1 = 2TP / (2TP + FP + FN).
        Assert.Equal(["down", "go", "up"], comparison.ByDifference.Select(f => f.Command));
        var down = comparison.ByDifference[0];
        Assert.Equal(16.0 / 21, down.BaselineF1, 12);
        Assert.Equal(1.0, down.CandidateF1, 12);
        Assert.Equal(1 - 16.0 / 21, down.Difference, 12);
        var go = comparison.ByDifference[1];
        Assert.Equal(12.0 / 18, go.BaselineF1, 12);
        Assert.Equal(18.0 / 20, go.CandidateF1, 12);
        var up = comparison.ByDifference[2];
        Assert.Equal(18.0 / 20 - 20.0 / 21, up.Difference, 12);
        Assert.True(up.Difference < 0);
    }

    [Fact]
    public void WithoutWordsTheLargestGainsAreChosen()
    {
        var comparison = FailureAnalysis.Compare(Baseline(), Candidate());
        Assert.Equal(["down", "go", "up"], comparison.Commands);

        var twoClassesAbsent = FailureAnalysis.Compare(Matrix((0, 0, 2), (0, 1, 1)), Matrix((0, 0, 3)));
        Assert.Equal(["down"], twoClassesAbsent.ByDifference.Select(f => f.Command)); // classes without clips are left out
    }

    [Fact]
    public void ConfusersCountErrorsBothWaysInBothModels()
    {
        // go↔down: 3 + 2 (baseline); go↔up: 1 (baseline) + 1 + 1 (candidate).
        var comparison = FailureAnalysis.Compare(Baseline(), Candidate(), ["go"]);
        Assert.Equal(["down", "up"], comparison.Confusers["go"]);

        var one = FailureAnalysis.Compare(Baseline(), Candidate(), ["go"], confusersPerCommand: 1);
        Assert.Equal(["go", "down"], one.Focus.Labels);
        Assert.Equal(["go", "down", "other"], one.Focus.Columns);
        Assert.Equal(new double[,] { { 0.6, 0.3, 0.1 }, { 0.2, 0.8, 0.0 } }, Rounded(one.Focus.Baseline));
        Assert.Equal(new double[,] { { 0.9, 0.0, 0.1 }, { 0.0, 1.0, 0.0 } }, Rounded(one.Focus.Candidate));
    }

    [Fact]
    public void FocusRowsSumToOne()
    {
        var comparison = FailureAnalysis.Compare(Baseline(), Candidate(), ["up", "go"], confusersPerCommand: 1);
        foreach (var rows in new[] { comparison.Focus.Baseline, comparison.Focus.Candidate })
            for (var i = 0; i < rows.GetLength(0); i++)
                Assert.Equal(1.0, Enumerable.Range(0, rows.GetLength(1)).Sum(j => rows[i, j]), 12);
    }

    [Fact]
    public void BadInputGivesClearErrors()
    {
        var unknown = Assert.Throws<TfCrnnException>(() => FailureAnalysis.Compare(Baseline(), Candidate(), ["forward"]));
        Assert.Contains("unknown command 'forward'", unknown.Message);
        var otherClips = Assert.Throws<TfCrnnException>(() => FailureAnalysis.Compare(Baseline(), Matrix((0, 0, 1))));
        Assert.Contains("same split", otherClips.Message);
        var noClips = Assert.Throws<TfCrnnException>(() => FailureAnalysis.Compare(Matrix((0, 0, 1)), Matrix((0, 0, 1)), ["up"]));
        Assert.Contains("no clips of 'up'", noClips.Message);
    }

    [Fact]
    public void ReportWritesFiguresTablesAndLinks()
    {
        using var folder = new TempDirectory("failure");
        var files = FailureReport.Write(FailureAnalysis.Compare(Baseline(), Candidate()), folder.Path, "crnn-resse", "tfcrnn-resse");

        Assert.All(files, file => Assert.True(File.Exists(file), file));
        ReportAssert.IsPng(folder.Combine(FailureReport.F1Figure));
        ReportAssert.IsPng(folder.Combine(FailureReport.ConfusionFigure));
        Assert.Equal(
            "command,baseline_f1,candidate_f1,difference\ndown,0.7619,1.0000,0.2381\ngo,0.6667,0.9000,0.2333\nup,0.9524,0.9000,-0.0524\n",
            File.ReadAllText(folder.Combine(FailureReport.F1Csv)));
        var markdown = File.ReadAllText(folder.Combine(FailureReport.Markdown));
        Assert.Contains($"]({FailureReport.F1Figure})", markdown);
        Assert.Contains($"]({FailureReport.ConfusionFigure})", markdown);
        Assert.Contains("| down | 0.7619 | 1.0000 | +0.2381 |", markdown);
        Assert.Empty(Directory.GetFiles(folder.Path, "*.tmp*"));
    }

    private static double[,] Rounded(double[,] values)
    {
        var result = (double[,])values.Clone();
        for (var i = 0; i < result.GetLength(0); i++)
            for (var j = 0; j < result.GetLength(1); j++)
                result[i, j] = Math.Round(result[i, j], 12);
        return result;
    }
}
