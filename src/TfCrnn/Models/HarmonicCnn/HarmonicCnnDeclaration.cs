using Onnx;

namespace TfCrnn.Models.HarmonicCnn;

/// <summary>
/// <c>harmonic-cnn</c>, HarmonicCNN (Won et al. 2020), a baseline of the paper's Table I (96.39 %): a clip model over
/// a harmonic filterbank (<see cref="HarmonicCnnModel"/>; docs/baselines.md). <c>--width</c> sets its channels (the
/// authors' 128), <c>--head-dropout</c> the dropout before its classifier (their 0.5).
/// </summary>
internal sealed class HarmonicCnnDeclaration : ClipModelDeclaration
{
    public override string Name => "harmonic-cnn";

    public override FrontEnd FrontEnd => FrontEnd.HarmonicFilterbank;

    public override string Trunk => "the clip centred in 5 s, harmonic BatchNorm, 7 3×3 conv layers (residual where the channels stay), max-pooled";

    public override string Head => "max over frequency and time, dense with BatchNorm, ReLU, dropout, linear";

    public override long Parameters => 3_627_696;

    internal override TableOneRow TableOne { get; } = new("HarmonicCNN", "", [new(OutputMode.ManyToOne, 96.39, null)]);

    internal override ModelHyperParameters HyperParameters => ModelHyperParameters.Width | ModelHyperParameters.HeadDropout;

    internal override void Validate(ModelConfig config)
    {
        // As the paper's nine: libtorch's float32 2-D convolutions were wrong on an AVX-512 CPU for channel counts of
        // 10, 12 or 20 even under the AVX2 cap, and right for multiples of 8 (ConvolutionSelfCheck checks 8, 16, 24).
        if (config.Width < 8 || config.Width % 8 != 0)
            throw new ModelConfigException($"width must be a positive multiple of 8, got {config.Width}");
        if (config.ClipSamples > HarmonicCnnModel.InputSamples)
            throw new ModelConfigException($"clips of {config.ClipSamples} samples do not fit {Name}'s {HarmonicCnnModel.InputSamples}-sample input");
    }

    internal override SpeechCommandModel Create(ModelConfig config) => new HarmonicCnnModel(config);

    internal override (GraphProto Clip, GraphProto Step) Graphs(SpeechCommandModel model) => HarmonicCnnGraph.Write((HarmonicCnnModel)model);

    /// <summary>The harmonic filters' and the layers' products over the padded 5 s; the FFT's are not counted.</summary>
    internal override long Macs(ModelConfig config)
    {
        using var frontEnd = new FrontEnds.HarmonicFilterbank();
        long pitches = frontEnd.Pitches, frames = frontEnd.Frames(HarmonicCnnModel.InputSamples);
        var macs = frames * (frontEnd.FftSize / 2 + 1) * frontEnd.Harmonics * pitches;
        long inChannels = frontEnd.Harmonics;
        foreach (var (channels, pool) in HarmonicCnnModel.BlockPlan(config.Width))
        {
            macs += pitches * frames * channels * 9 * (inChannels + (inChannels == channels ? channels : 0));
            (pitches, frames, inChannels) = (pitches / pool.Frequency, frames / pool.Time, channels);
        }
        return macs + inChannels * inChannels + inChannels * config.Classes;
    }

    /// <summary>
    /// 2.3 times the TF-CRNN's per unit of width: its 10,826 MB peak for a batch of 64 at width 128 against the
    /// TF-CRNN's 4,684 MB, measured alike (bench/results/baselines.md).
    /// </summary>
    internal override double TrainingMegabytesPerClip(ModelConfig config) => 1.94 * config.Width;
}
