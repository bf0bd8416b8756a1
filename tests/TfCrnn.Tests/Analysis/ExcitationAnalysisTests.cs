using TfCrnn.Analysis;
using TfCrnn.Models;
using TfCrnn.Tests.Support;

namespace TfCrnn.Tests.Analysis;

public class ExcitationAnalysisTests
{
    private static readonly StepGeometry PaperSteps = new(3200, 1600, 9);

    /// <summary>16,000 samples; the k-th 1,600-sample segment alternates ±(k + 1).</summary>
    private static float[] SegmentedWaveform(Func<int, float>? amplitude = null)
    {
        amplitude ??= k => k + 1;
        var samples = new float[16000];
        for (var i = 0; i < samples.Length; i++)
            samples[i] = (i % 2 == 0 ? 1 : -1) * amplitude(i / 1600);
        return samples;
    }

    [Fact]
    public void StepRmsCoversEachHalfOverlappingWindow()
    {
        // Step t sees segments t and t + 1: RMS = sqrt(((t + 1)² + (t + 2)²) / 2).
        var rms = ExcitationAnalysis.StepRms(SegmentedWaveform(), PaperSteps);

        Assert.Equal(9, rms.Length);
        for (var t = 0; t < 9; t++)
            Assert.Equal(Math.Sqrt(((t + 1) * (t + 1) + (t + 2) * (t + 2)) / 2.0), rms[t], 9);
        Assert.Throws<ArgumentException>(() => ExcitationAnalysis.StepRms(new float[15999], PaperSteps));
    }

    [Fact]
    public void PearsonMatchesHandValue()
    {
        // dx = (−2, −1, 0, 1, 2), dy = (−1, −2, 1, 0, 2): r = 8 / sqrt(10 · 10).
        Assert.Equal(0.8, ExcitationAnalysis.Pearson([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]), 12);
        Assert.Equal(-1.0, ExcitationAnalysis.Pearson([1, 2, 3], [6, 4, 2]), 12);
        Assert.True(double.IsNaN(ExcitationAnalysis.Pearson([1, 1, 1], [1, 2, 3])));
    }

    [Fact]
    public void ProfilesAverageClipsAndCorrelatePerBlock()
    {
        var builder = new ExcitationProfileBuilder("stop", blocks: 2, PaperSteps);
        float[] rising = [.. Enumerable.Range(0, 9).Select(t => 0.1f * t)];
        float[] falling = [.. rising.Select(s => 1 - s)];
        builder.Add([falling, rising], SegmentedWaveform());
        builder.Add([falling.Select(s => s - 0.1f).ToArray(), rising], SegmentedWaveform(k => 3 * (k + 1)));
        var profile = builder.Build();

        Assert.Equal(2, profile.Clips);
        Assert.Equal(0.95, profile.Scale[0, 0], 6);
        Assert.Equal(0.4, profile.Scale[1, 4], 6);
        // Mean of the two clips' RMS: (1 + 3) / 2 times the single-amplitude RMS.
        Assert.Equal(2 * Math.Sqrt((1 + 4) / 2.0), profile.Energy[0], 6);
        Assert.True(profile.Correlation[0] < -0.99);
        Assert.True(profile.Correlation[1] > 0.99);

        var summary = new ExcitationSummary(PaperSteps, [profile]);
        Assert.True(summary.PaperClaimHolds);
        Assert.Equal(profile.Correlation[1], summary.Blocks[1].Mean, 12);
    }

    [Fact]
    public void ClaimFailsWhenTheFirstBlockFollowsTheEnergy()
    {
        var builder = new ExcitationProfileBuilder("up", blocks: 2, PaperSteps);
        float[] rising = [.. Enumerable.Range(0, 9).Select(t => 0.1f * t)];
        builder.Add([rising, rising], SegmentedWaveform());
        Assert.False(new ExcitationSummary(PaperSteps, [builder.Build()]).PaperClaimHolds);
    }

    [Fact]
    public void BlockMeanLeavesOutUndefinedCorrelations() =>
        Assert.Equal(-0.5, new BlockCorrelation(0, [double.NaN, -0.2, -0.8]).Mean, 12);

    [Fact]
    public void ReportWritesTheGridAndTheVerdict()
    {
        var builder = new ExcitationProfileBuilder("stop", blocks: 2, PaperSteps);
        float[] rising = [.. Enumerable.Range(0, 9).Select(t => 0.1f * t)];
        builder.Add([[.. rising.Select(s => 1 - s)], rising], SegmentedWaveform());
        using var folder = new TempDirectory("excitation");
        var files = ExcitationReport.Write(new ExcitationSummary(PaperSteps, [builder.Build()]), folder.Path, "tfcrnn-resse");

        Assert.All(files, file => Assert.True(File.Exists(file), file));
        ReportAssert.IsPng(folder.Combine(ExcitationReport.Figure), minWidth: 300, minHeight: 400);
        Assert.Equal(1 + 2 * 9, File.ReadAllLines(folder.Combine(ExcitationReport.Csv)).Length);
        Assert.Equal(["block,command,pearson_r", "1,stop,-1.0000", "1,mean,-1.0000", "2,stop,1.0000", "2,mean,1.0000"],
            File.ReadAllLines(folder.Combine(ExcitationReport.CorrelationCsv)));
        var markdown = File.ReadAllText(folder.Combine(ExcitationReport.Markdown));
        Assert.Contains("**reproduced**", markdown);
        Assert.Contains($"]({ExcitationReport.Figure})", markdown);
    }
}
