using Onnx;

namespace TfCrnn.Models.AttnCrnn;

/// <summary>
/// <c>attn-crnn</c>, AttnCRNN (de Andrade et al. 2018), a baseline of the paper's Table I (93.90 %): a clip model over
/// a log-mel spectrogram (<see cref="AttnCrnnModel"/>; docs/baselines.md). It has no width or dropout to set.
/// </summary>
internal sealed class AttnCrnnDeclaration : ClipModelDeclaration
{
    public override string Name => "attn-crnn";

    public override FrontEnd FrontEnd => FrontEnd.LogMel;

    public override string Trunk => "conv 5×1 (10), conv 5×1 (1), 2 bidirectional LSTMs (64 each way)";

    public override string Head => "attention (query: the last frame), dense 64, dense 32, linear";

    public override long Parameters => 202_216;

    internal override TableOneRow TableOne { get; } = new("AttnCRNN", "", [new(OutputMode.ManyToOne, 93.90, null)]);

    internal override SpeechCommandModel Create(ModelConfig config) => new AttnCrnnModel(config);

    internal override (GraphProto Clip, GraphProto Step) Graphs(SpeechCommandModel model) => AttnCrnnGraph.Write((AttnCrnnModel)model);

    /// <summary>The mel filters' and the layers' products; the FFT's are not counted.</summary>
    internal override long Macs(ModelConfig config)
    {
        using var frontEnd = new FrontEnds.LogMelSpectrogram();
        long frames = frontEnd.Frames(config.ClipSamples), mels = frontEnd.Mels, units = AttnCrnnModel.LstmUnits;
        var mel = frames * (frontEnd.FftSize / 2 + 1) * mels;
        var convolutions = frames * mels * AttnCrnnModel.ConvFrames * 2 * AttnCrnnModel.ConvFilters;
        var lstms = 2 * frames * 4 * units * (mels + units) + 2 * frames * 4 * units * (2 * units + units);
        var attention = 2 * units * 2 * units + 2 * frames * 2 * units;
        var dense = 2 * units * 64 + 64 * 32 + 32L * config.Classes;
        return mel + convolutions + lstms + attention + dense;
    }

    /// <summary>553 MB peak for a batch of 64 (bench/results/baselines.md), runtime included.</summary>
    internal override double TrainingMegabytesPerClip(ModelConfig config) => 8.7;
}
