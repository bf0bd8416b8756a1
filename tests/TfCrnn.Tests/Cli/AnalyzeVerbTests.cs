using TfCrnn.Analysis;
using TfCrnn.Tests.Support;

namespace TfCrnn.Tests.Cli;

/// <summary><c>analyze failure|trajectory|excitation</c> as a user runs them, on <see cref="CliWorld"/>'s two runs.</summary>
public sealed class AnalyzeVerbTests
{
    [Fact]
    public async Task FailurePrintsTheF1DifferencesOfTheChosenCommandsAndTheFiles()
    {
        var world = await CliWorld.GetAsync();
        using var folder = new TempDirectory("cli-failure");
        var result = (await CliRun.RunAsync(["analyze", "failure", "--baseline", world.Baseline, "--candidate", world.Candidate,
            "--data", world.Data, "--out", folder.Path, "--words", "up,yes", "--threads", "1"])).Succeeded();
        var lines = result.Stdout.TrimEnd().Split('\n');
        Assert.Matches(@"^F1 difference: up [+-]?\d\.\d{3}, yes [+-]?\d\.\d{3}$", lines[0]);
        Assert.Equal([FailureReport.F1Csv, FailureReport.ConfusionCsv, FailureReport.F1Figure], lines[1..4].Select(Path.GetFileName));
        Assert.All(lines[1..], file => Assert.True(File.Exists(file), file));
        CliLog.Write(result);
    }

    [Fact]
    public async Task TrajectoryAndExcitationWriteTheirFigures()
    {
        var world = await CliWorld.GetAsync();
        using var folder = new TempDirectory("cli-steps");
        var trajectory = (await CliRun.RunAsync(["analyze", "trajectory", "--checkpoint", world.Candidate, "--data", world.Data,
            "--out", folder.Combine("t"), "--words", "down,go", "--split", "all"])).Succeeded();
        Assert.Equal([TrajectoryReport.Csv, TrajectoryReport.Figure, TrajectoryReport.Markdown],
            trajectory.Stdout.TrimEnd().Split('\n').Select(Path.GetFileName));

        var excitation = (await CliRun.RunAsync(["analyze", "excitation", "--checkpoint", world.Candidate, "--data", world.Data,
            "--out", folder.Combine("e"), "--words", "left,no"])).Succeeded();
        var lines = excitation.Stdout.TrimEnd().Split('\n');
        Assert.Matches(@"^mean r\(scale, energy\): first block .+, last block .+; the paper's finding is (not )?reproduced$", lines[0]);
        Assert.Equal([ExcitationReport.Csv, ExcitationReport.CorrelationCsv, ExcitationReport.Figure, ExcitationReport.Markdown],
            lines[1..].Select(Path.GetFileName));
        Assert.All(lines[1..], file => Assert.True(File.Exists(file), file));
        CliLog.Write(trajectory);
        CliLog.Write(excitation);
    }
}
