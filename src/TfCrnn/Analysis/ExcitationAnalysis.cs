using TfCrnn.Checkpoints;
using TfCrnn.Data;
using TfCrnn.Models;
using TfCrnn.Models.Paper;
using TfCrnn.Progress;
using static TorchSharp.torch;

namespace TfCrnn.Analysis;

/// <summary>
/// One command's mean excitation per block and step, and the mean RMS energy of the input window per step.
/// </summary>
/// <param name="Scale">[block, step]: the sigmoid excitation averaged over channels and clips.</param>
/// <param name="Energy">[step]: RMS of the scaled waveform in the step's window, averaged over clips.</param>
/// <param name="Correlation">[block]: Pearson r between <paramref name="Scale"/>'s row and <paramref name="Energy"/> across steps.</param>
internal sealed record ExcitationProfile(string Command, int Clips, double[,] Scale, double[] Energy, double[] Correlation)
{
    public int Blocks => Scale.GetLength(0);

    public double[] BlockScale(int block) => [.. Enumerable.Range(0, Scale.GetLength(1)).Select(t => Scale[block, t])];
}

/// <summary>The correlation of a block's scale with the input energy, per command and averaged over commands.</summary>
internal sealed record BlockCorrelation(int Block, IReadOnlyList<double> PerCommand)
{
    /// <summary>Mean of the per-command r (commands with an undefined r, from a constant curve, are left out).</summary>
    public double Mean => PerCommand.Where(r => !double.IsNaN(r)).DefaultIfEmpty(double.NaN).Average();
}

/// <summary>The result of the temporal excitation analysis (the paper's temporal excitation analysis; docs/reference-implementation.md, "Analyses").</summary>
internal sealed record ExcitationSummary(StepGeometry Timeline, IReadOnlyList<ExcitationProfile> Commands)
{
    public IReadOnlyList<BlockCorrelation> Blocks =>
        [.. Enumerable.Range(0, Commands[0].Blocks).Select(b => new BlockCorrelation(b, [.. Commands.Select(c => c.Correlation[b])]))];

    /// <summary>The paper's finding: the first block's scales move against the energy (r &lt; 0), the last block's with it (r &gt; 0).</summary>
    public bool PaperClaimHolds => Blocks[0].Mean < 0 && Blocks[^1].Mean > 0;
}

/// <summary>Sums one command's excitation and energy curves clip by clip.</summary>
internal sealed class ExcitationProfileBuilder(string command, int blocks, StepGeometry timeline)
{
    private readonly double[,] scaleSum = new double[blocks, timeline.StepsPerClip];
    private readonly double[] energySum = new double[timeline.StepsPerClip];
    private int clips;

    /// <summary>Adds one clip.</summary>
    /// <param name="channelMeanScales">[block][step]: the clip's excitation averaged over the block's channels.</param>
    /// <param name="waveform">The clip as the model sees it (scaled, 16,000 samples).</param>
    public void Add(IReadOnlyList<float[]> channelMeanScales, ReadOnlySpan<float> waveform)
    {
        if (channelMeanScales.Count != blocks || channelMeanScales.Any(s => s.Length != timeline.StepsPerClip))
            throw new ArgumentException($"expected {blocks} blocks of {timeline.StepsPerClip} steps");
        for (var b = 0; b < blocks; b++)
            for (var t = 0; t < timeline.StepsPerClip; t++)
                scaleSum[b, t] += channelMeanScales[b][t];
        var energy = ExcitationAnalysis.StepRms(waveform, timeline);
        for (var t = 0; t < timeline.StepsPerClip; t++) energySum[t] += energy[t];
        clips++;
    }

    public ExcitationProfile Build()
    {
        if (clips == 0) throw new TfCrnnException($"no clips of '{command}' to average");
        var scale = new double[blocks, timeline.StepsPerClip];
        for (var b = 0; b < blocks; b++)
            for (var t = 0; t < timeline.StepsPerClip; t++)
                scale[b, t] = scaleSum[b, t] / clips;
        double[] energy = [.. energySum.Select(e => e / clips)];
        var profile = new ExcitationProfile(command, clips, scale, energy, new double[blocks]);
        for (var b = 0; b < blocks; b++)
            profile.Correlation[b] = ExcitationAnalysis.Pearson(profile.BlockScale(b), energy);
        return profile;
    }
}

/// <summary>The numbers behind the paper's Fig. 6.</summary>
internal static class ExcitationAnalysis
{
    /// <summary>The paper's commands when none are named.</summary>
    public static readonly IReadOnlyList<string> DefaultWords = ["backward", "bird", "stop", "up"];

    /// <summary>
    /// The <c>analyze excitation</c> verb: runs a TF-CRNN over the clips of the chosen words (default
    /// <see cref="DefaultWords"/>), collects every block's excitation at every step, and writes
    /// <see cref="ExcitationReport"/>'s files.
    /// </summary>
    /// <exception cref="TfCrnnException">The checkpoint is not a TF-CRNN (only its blocks are excited by the feedback).</exception>
    public static Task<AnalysisOutput<ExcitationSummary>> RunAsync(ModelAnalysisOptions options,
        IProgress<TaskProgress>? progress = null, CancellationToken cancellationToken = default) => Task.Run(() =>
        {
            using var model = CheckpointLocator.LoadModel(options.Checkpoint);
            if (model.Config.Model is not PaperModel { Family: ModelFamily.TfCrnn })
                throw new TfCrnnException(
                    $"{options.Checkpoint}: the excitation analysis needs a TF-CRNN (tfcrnn-*) model, this is {model.Config.Variant}");
            using var inputs = AnalysisInputs.Open(options, progress);
            var summary = Collect(inputs, model, options.Words is { Count: > 0 } words ? words : DefaultWords, options.BatchSize,
                progress, cancellationToken);
            return new AnalysisOutput<ExcitationSummary>(summary, ExcitationReport.Write(summary, options.OutputDirectory, model.Config.Variant));
        }, cancellationToken);

    /// <summary>Runs a TF-CRNN over the clips of <paramref name="words"/> and averages its excitations and their input energy.</summary>
    internal static ExcitationSummary Collect(AnalysisInputs inputs, SpeechCommandModel model, IReadOnlyList<string> words, int batchSize,
        IProgress<TaskProgress>? progress, CancellationToken cancellationToken)
    {
        var commands = inputs.ClipsOf(words, model.Config);
        var timeline = model.Config.Geometry;
        var builders = commands.ToDictionary(c => c.Class, c => new ExcitationProfileBuilder(c.Word, ((BlockStackModel)model).BlockCount, timeline));
        IReadOnlyList<Clip> clips = [.. commands.SelectMany(c => c.Clips)];
        var loader = new BatchLoader(inputs.Data, clips,
            new BatchLoaderOptions(batchSize, Shuffle: false, DropLast: false, Augment: false, Seed: 0) { Labels = model.Config.LabelSet });
        using (no_grad())
        {
            var done = 0;
            foreach (var batch in loader.Epoch(0, cancellationToken))
            {
                using var scope = NewDisposeScope();
                using (batch)
                using (var output = model.Forward(batch.Waveforms, ForwardExtras.Excitations))
                    AddBatch(builders, batch, output.Excitations);
                progress?.Report(new TaskProgress("collecting excitations", done += batch.Size, clips.Count));
            }
        }
        return new ExcitationSummary(timeline, [.. commands.Select(c => builders[c.Class].Build())]);
    }

    /// <param name="excitations">Per block (steps, batch, channels).</param>
    private static void AddBatch(IReadOnlyDictionary<int, ExcitationProfileBuilder> builders, Batch batch, IReadOnlyList<Tensor> excitations)
    {
        // (block, steps, batch) after averaging over channels; then clip by clip.
        var channelMeans = excitations.Select(e => e.mean([2]).transpose(0, 1).contiguous().cpu().data<float>().ToArray()).ToList();
        var steps = (int)excitations[0].shape[0];
        var samples = (int)batch.Waveforms.shape[^1];
        var waveforms = batch.Waveforms.cpu().data<float>().ToArray();
        var classes = batch.Labels.cpu().data<long>().ToArray();
        for (var i = 0; i < batch.Size; i++)
        {
            IReadOnlyList<float[]> perBlock = [.. channelMeans.Select(block => block.AsSpan(i * steps, steps).ToArray())];
            builders[(int)classes[i]].Add(perBlock, waveforms.AsSpan(i * samples, samples));
        }
    }

    /// <summary>RMS of the samples [t·Hop, t·Hop + Window) of every step t.</summary>
    public static double[] StepRms(ReadOnlySpan<float> waveform, StepGeometry timeline)
    {
        var end = timeline.Start(timeline.StepsPerClip - 1) + timeline.Window;
        if (waveform.Length < end)
            throw new ArgumentException($"waveform of {waveform.Length} samples is shorter than the {end} samples the steps cover");
        var rms = new double[timeline.StepsPerClip];
        for (var t = 0; t < timeline.StepsPerClip; t++)
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
