using TfCrnn.Analysis;
using TfCrnn.Models;
using TfCrnn.Tests.Support;

namespace TfCrnn.Tests.Analysis;

public class TrajectoryAnalysisTests
{
    private static readonly string[] Words = ["down", "go", "up", "yes"];
    private static readonly StepGeometry ThreeSteps = new(3200, 1600, 3);

    // Two clips of "go" (class 1), three steps, four classes.
    private static readonly IReadOnlyList<float[][]> GoClips =
    [
        [[0.1f, 0.2f, 0.7f, 0.0f], [0.1f, 0.5f, 0.4f, 0.0f], [0.0f, 0.9f, 0.1f, 0.0f]],
        [[0.3f, 0.2f, 0.5f, 0.0f], [0.1f, 0.7f, 0.2f, 0.0f], [0.2f, 0.7f, 0.0f, 0.1f]],
    ];

    [Fact]
    public void StepTimesEndEachWindow()
    {
        Assert.Equal([0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0],
            ModelConfig.For("tfcrnn-basic").Geometry.EndSeconds().Select(s => Math.Round(s, 12)));
        Assert.Equal([1.0], ModelConfig.For("cnn-se").Geometry.EndSeconds());
    }

    [Fact]
    public void MeansOverClipsPerStepWithTheTrueCommandFirst()
    {
        var trajectory = TrajectoryAnalysis.ForCommand(1, GoClips, Words, ThreeSteps);

        Assert.Equal("go", trajectory.Command);
        Assert.Equal(2, trajectory.Clips);
        Assert.Equal([0.2, 0.3, 0.4], trajectory.StepSeconds.Select(s => Math.Round(s, 12)));
        // Confusers by mean probability over steps: up (0.3167) before down (0.1333); yes (0.0167) is not shown.
        Assert.Equal(["go", "up", "down"], trajectory.Lines.Select(l => l.Label));
        Assert.Equal([0.2, 0.6, 0.8], Rounded(trajectory.Lines[0].MeanProbability));
        Assert.Equal([0.6, 0.3, 0.05], Rounded(trajectory.Lines[1].MeanProbability));
        Assert.Equal([0.2, 0.1, 0.1], Rounded(trajectory.Lines[2].MeanProbability));
    }

    [Fact]
    public void RejectsMissingClipsAndWrongShapes()
    {
        Assert.Contains("no clips of 'go'", Assert.Throws<TfCrnnException>(() => TrajectoryAnalysis.ForCommand(1, [], Words, ThreeSteps)).Message);
        Assert.Throws<ArgumentException>(() => TrajectoryAnalysis.ForCommand(1, GoClips, Words, new StepGeometry(3200, 1600, 9)));
    }

    [Fact]
    public void ReportWritesFigureCsvAndMarkdown()
    {
        using var folder = new TempDirectory("trajectory");
        var files = TrajectoryReport.Write([TrajectoryAnalysis.ForCommand(1, GoClips, Words, ThreeSteps)], folder.Path, "tfcrnn-basic");

        Assert.All(files, file => Assert.True(File.Exists(file), file));
        ReportAssert.IsPng(folder.Combine(TrajectoryReport.Figure));
        var csv = File.ReadAllLines(folder.Combine(TrajectoryReport.Csv));
        Assert.Equal("command,clips,label,role,step,time_s,mean_probability", csv[0]);
        Assert.Equal("go,2,go,true,2,0.400,0.8000", csv[3]);
        Assert.Equal(1 + 3 * 3, csv.Length);
        Assert.Contains($"]({TrajectoryReport.Figure})", File.ReadAllText(folder.Combine(TrajectoryReport.Markdown)));
    }

    private static double[] Rounded(double[] values) => [.. values.Select(v => Math.Round(v, 6))];
}
