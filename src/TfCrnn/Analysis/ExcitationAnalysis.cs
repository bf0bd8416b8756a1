namespace TfCrnn.Analysis;

/// <summary>
/// One command's mean excitation per block and step, and the mean RMS energy of the input window per step.
/// </summary>
/// <param name="Scale">[block, step]: the sigmoid excitation averaged over channels and clips.</param>
/// <param name="Energy">[step]: RMS of the scaled waveform in the step's window, averaged over clips.</param>
/// <param name="Correlation">[block]: Pearson r between <paramref name="Scale"/>'s row and <paramref name="Energy"/> across steps.</param>
public sealed record ExcitationProfile(string Command, int Clips, double[,] Scale, double[] Energy, double[] Correlation)
{
    public int Blocks => Scale.GetLength(0);

    public double[] BlockScale(int block) => [.. Enumerable.Range(0, Scale.GetLength(1)).Select(t => Scale[block, t])];
}

/// <summary>The correlation of a block's scale with the input energy, per command and averaged over commands.</summary>
public sealed record BlockCorrelation(int Block, IReadOnlyList<double> PerCommand)
{
    /// <summary>Mean of the per-command r (commands with an undefined r, from a constant curve, are left out).</summary>
    public double Mean => PerCommand.Where(r => !double.IsNaN(r)).DefaultIfEmpty(double.NaN).Average();
}

/// <summary>The result of the temporal excitation analysis (SPEC.md section 5.3).</summary>
public sealed record ExcitationSummary(StepTimeline Timeline, IReadOnlyList<ExcitationProfile> Commands)
{
    public IReadOnlyList<BlockCorrelation> Blocks =>
        [.. Enumerable.Range(0, Commands[0].Blocks).Select(b => new BlockCorrelation(b, [.. Commands.Select(c => c.Correlation[b])]))];

    /// <summary>The paper's finding: the first block's scales move against the energy (r &lt; 0), the last block's with it (r &gt; 0).</summary>
    public bool PaperClaimHolds => Blocks[0].Mean < 0 && Blocks[^1].Mean > 0;
}

/// <summary>Sums one command's excitation and energy curves clip by clip.</summary>
public sealed class ExcitationProfileBuilder(string command, int blocks, StepTimeline timeline)
{
    private readonly double[,] scaleSum = new double[blocks, timeline.Steps];
    private readonly double[] energySum = new double[timeline.Steps];
    private int clips;

    /// <summary>Adds one clip.</summary>
    /// <param name="channelMeanScales">[block][step]: the clip's excitation averaged over the block's channels.</param>
    /// <param name="waveform">The clip as the model sees it (scaled, 16,000 samples).</param>
    public void Add(IReadOnlyList<float[]> channelMeanScales, ReadOnlySpan<float> waveform)
    {
        if (channelMeanScales.Count != blocks || channelMeanScales.Any(s => s.Length != timeline.Steps))
            throw new ArgumentException($"expected {blocks} blocks of {timeline.Steps} steps");
        for (var b = 0; b < blocks; b++)
            for (var t = 0; t < timeline.Steps; t++)
                scaleSum[b, t] += channelMeanScales[b][t];
        var energy = ExcitationAnalysis.StepRms(waveform, timeline);
        for (var t = 0; t < timeline.Steps; t++) energySum[t] += energy[t];
        clips++;
    }

    public ExcitationProfile Build()
    {
        if (clips == 0) throw new TfCrnnException($"no clips of '{command}' to average");
        var scale = new double[blocks, timeline.Steps];
        for (var b = 0; b < blocks; b++)
            for (var t = 0; t < timeline.Steps; t++)
                scale[b, t] = scaleSum[b, t] / clips;
        double[] energy = [.. energySum.Select(e => e / clips)];
        var profile = new ExcitationProfile(command, clips, scale, energy, new double[blocks]);
        for (var b = 0; b < blocks; b++)
            profile.Correlation[b] = ExcitationAnalysis.Pearson(profile.BlockScale(b), energy);
        return profile;
    }
}

/// <summary>The numbers behind the paper's Fig. 6.</summary>
public static class ExcitationAnalysis
{
    /// <summary>The paper's commands when none are named.</summary>
    public static readonly IReadOnlyList<string> DefaultWords = ["backward", "bird", "stop", "up"];

    /// <summary>RMS of the samples [t·Hop, t·Hop + Window) of every step t.</summary>
    public static double[] StepRms(ReadOnlySpan<float> waveform, StepTimeline timeline)
    {
        var end = timeline.Start(timeline.Steps - 1) + timeline.Window;
        if (waveform.Length < end)
            throw new ArgumentException($"waveform of {waveform.Length} samples is shorter than the {end} samples the steps cover");
        var rms = new double[timeline.Steps];
        for (var t = 0; t < timeline.Steps; t++)
        {
            var sumOfSquares = 0.0;
            foreach (var sample in waveform.Slice(timeline.Start(t), timeline.Window))
                sumOfSquares += (double)sample * sample;
            rms[t] = Math.Sqrt(sumOfSquares / timeline.Window);
        }
        return rms;
    }

    /// <summary>Pearson's r; NaN when either series is constant.</summary>
    public static double Pearson(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count || x.Count < 2)
            throw new ArgumentException("Pearson correlation needs two series of the same length, at least 2");
        double meanX = x.Average(), meanY = y.Average();
        double covariance = 0, varianceX = 0, varianceY = 0;
        for (var i = 0; i < x.Count; i++)
        {
            double dx = x[i] - meanX, dy = y[i] - meanY;
            covariance += dx * dy;
            varianceX += dx * dx;
            varianceY += dy * dy;
        }
        return varianceX == 0 || varianceY == 0 ? double.NaN : covariance / Math.Sqrt(varianceX * varianceY);
    }
}
