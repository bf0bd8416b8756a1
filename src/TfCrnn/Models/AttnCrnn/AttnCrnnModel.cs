using TfCrnn.Models.FrontEnds;
using TfCrnn.Models.Layers;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;
using BatchNorm2d = TfCrnn.Models.Layers.BatchNorm2d;

namespace TfCrnn.Models.AttnCrnn;

/// <summary>
/// AttnCRNN (<c>attn-crnn</c>; de Andrade et al. 2018, "A neural attention model for speech command recognition"), as
/// the authors' Keras <c>AttRNNSpeechModel</c> (github.com/douglas125/SpeechCmdRecognition) builds it:
/// <list type="number">
/// <item><c>front_end</c>: a log-mel spectrogram standardised per clip (<see cref="LogMelSpectrogram"/>: 80 bands,
/// FFT 1,024, hop 128, 40–8,000 Hz), (batch, 125, 80) for a second;</item>
/// <item><c>conv0</c>: 10 filters of 5×1 (5 frames, 1 band), ReLU, <c>norm0</c>; <c>conv1</c>: 1 filter of 5×1, ReLU,
/// <c>norm1</c> (the Keras layers' <c>activation='relu'</c> comes before their BatchNormalization);</item>
/// <item><c>lstm</c>: two bidirectional LSTM layers of 64 units each way: (batch, 125, 128);</item>
/// <item>attention: <c>query</c>, a dense projection (128) of the last frame's LSTM output, scores each frame by the dot
/// product with it; the softmax of the scores over time weighs the frames into one vector (batch, 128);</item>
/// <item><c>dense0</c> (64) with ReLU, <c>dense1</c> (32), then <c>classifier</c>.</item>
/// </list>
/// Input (batch, 1, 16000) scaled by <see cref="Data.Preprocessing.InputScale"/>; logits (1, batch, classes), one step.
/// With TorchSharp's two bias vectors per LSTM gate and 35 classes: 202,216 parameters. Declared by
/// <see cref="AttnCrnnDeclaration"/>.
/// </summary>
/// <remarks>
/// The query frame: the 2018 paper and its code used the 65th of the 125 frames (about the middle, where the dataset
/// centres its words); the authors' code since 2020 uses the last one, as here. The last frame's forward state has
/// heard the whole clip, and nothing depends on where a word sits or on the clip's length. BatchNorm has PyTorch's
/// epsilon and momentum (1e-5, 0.1) rather than Keras's (1e-3, 0.99 = PyTorch's 0.01).
/// </remarks>
internal sealed class AttnCrnnModel : SpeechCommandModel
{
    /// <summary>LSTM units in each direction.</summary>
    public const int LstmUnits = 64;

    /// <summary>The convolutions' kernel over time (frames).</summary>
    public const int ConvFrames = 5;

    /// <summary>Filters of the first convolution.</summary>
    public const int ConvFilters = 10;

    [ComponentName(Name = "front_end")] private readonly LogMelSpectrogram frontEnd;
    private readonly Conv2d conv0;
    private readonly BatchNorm2d norm0;
    private readonly Conv2d conv1;
    private readonly BatchNorm2d norm1;
    private readonly LSTM lstm;
    private readonly Linear query;
    private readonly Linear dense0;
    private readonly Linear dense1;
    private readonly Linear classifier;

    /// <param name="config">An <c>attn-crnn</c> configuration: its labels set the classes; it has no other hyper-parameters.</param>
    public AttnCrnnModel(ModelConfig config) : base(config)
    {
        frontEnd = new LogMelSpectrogram();
        conv0 = nn.Conv2d(1, ConvFilters, kernel_size: (ConvFrames, 1), padding: (ConvFrames / 2, 0));
        norm0 = new BatchNorm2d(ConvFilters);
        conv1 = nn.Conv2d(ConvFilters, 1, kernel_size: (ConvFrames, 1), padding: (ConvFrames / 2, 0));
        norm1 = new BatchNorm2d(1);
        lstm = nn.LSTM(frontEnd.Mels, LstmUnits, numLayers: 2, batchFirst: true, bidirectional: true);
        query = nn.Linear(2 * LstmUnits, 2 * LstmUnits);
        dense0 = nn.Linear(2 * LstmUnits, 64);
        dense1 = nn.Linear(64, 32);
        classifier = nn.Linear(32, config.Classes);
        RegisterComponents();
    }

    /// <summary>The front end, for tests and the ONNX graph.</summary>
    internal LogMelSpectrogram FrontEnd => frontEnd;

    /// <param name="waveforms">(batch, 1, samples), scaled by <see cref="Data.Preprocessing.InputScale"/>.</param>
    /// <param name="extras">None apply: the output has logits only.</param>
    /// <returns>Logits (1, batch, classes).</returns>
    public override ModelOutput Forward(Tensor waveforms, ForwardExtras extras)
    {
        using var sequence = Sequence(waveforms); // (batch, frames, 128)
        using var attended = Attend(sequence);
        using var hidden0 = dense0.forward(attended);
        hidden0.relu_();
        using var hidden1 = dense1.forward(hidden0);
        using var logits = classifier.forward(hidden1);
        return new ModelOutput(logits.unsqueeze(0), null, [], null);
    }

    /// <summary>Front end, convolutions and LSTMs: (batch, 1, samples) → (batch, frames, 2 · 64).</summary>
    internal Tensor Sequence(Tensor waveforms)
    {
        using var mel = frontEnd.forward(waveforms); // (batch, mels, frames)
        using var melByFrame = mel.transpose(1, 2);
        using var image = melByFrame.unsqueeze(1); // (batch, 1, frames, mels)
        using var convolved0 = conv0.forward(image);
        convolved0.relu_(); // in place: the convolution's backward does not need its output
        using var normalized0 = norm0.forward(convolved0);
        // Channels-last: libtorch 2.10's channels-first float32 kernel for this 10 → 1 convolution came out wrong (errors
        // near 1 in the output and the input gradient, where float64 agrees to 1e-6) on an AVX-512 CPU (AMD EPYC) with
        // oneDNN capped at AVX2, so AVX2 CPUs may be hit too; the channels-last one is exact (AttnCrnnModelTests).
        using var packed = ChannelsLast.Copy(normalized0);
        using var convolved1 = conv1.forward(packed);
        convolved1.relu_();
        using var normalized1 = norm1.forward(convolved1);
        using var frames = normalized1.squeeze(1); // (batch, frames, mels)
        var (output, lastHidden, lastCell) = lstm.forward(frames);
        lastHidden.Dispose();
        lastCell.Dispose();
        return output;
    }

    /// <summary>
    /// Dot-product attention with the last frame's projection as the query: (batch, frames, D) → (batch, D).
    /// </summary>
    private Tensor Attend(Tensor sequence)
    {
        using var last = sequence.select(1, -1);
        using var projected = query.forward(last); // (batch, D)
        using var column = projected.unsqueeze(2);
        using var scores = sequence.matmul(column); // (batch, frames, 1)
        using var weights = scores.softmax(1);
        using var row = weights.transpose(1, 2); // (batch, 1, frames)
        using var weighted = row.matmul(sequence); // (batch, 1, D)
        return weighted.squeeze(1);
    }
}
