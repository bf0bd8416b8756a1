namespace TfCrnn.Models;

/// <summary>Where a front end runs, which decides what the trainable module takes in.</summary>
public enum FrontEndKind
{
    /// <summary>No features: the module takes the scaled waveform (batch, 1, samples). The paper's.</summary>
    Waveform,

    /// <summary>
    /// Features computed inside the module, trained with it (a log-mel spectrogram, a harmonic filterbank with a
    /// learnable Q): the module still takes the waveform (batch, 1, samples), and its inference form and ONNX graphs
    /// hold the front end.
    /// </summary>
    Trainable,

    /// <summary>
    /// Features computed outside TorchSharp and never trained (a speech embedding run by ONNX Runtime), cached per clip:
    /// the module takes the features, (batch, steps, features), and its step graph a step's features.
    /// </summary>
    Frozen,
}

/// <summary>What a model hears: a front end of the registry (<see cref="ModelDeclaration.FrontEnd"/>).</summary>
/// <param name="Name">Its name in <c>tfcrnn info</c>: <c>waveform</c>, ….</param>
/// <param name="Kind">Where it runs.</param>
/// <param name="Description">One line on what it computes.</param>
public sealed record FrontEnd(string Name, FrontEndKind Kind, string Description)
{
    /// <summary>The paper's: 16 kHz samples scaled by <see cref="Data.Preprocessing.InputScale"/>, no features.</summary>
    public static readonly FrontEnd Waveform = new("waveform", FrontEndKind.Waveform, "16 kHz samples, scaled (the paper's)");

    /// <summary>
    /// The frozen speech embedding of Lin et al. 2020 (Google's <c>speech_embedding</c>, openWakeWord's ONNX conversion):
    /// 32 log-mel bands every 10 ms, then a 96-d embedding every 80 ms over 76 frames, 16 per one-second clip
    /// (<see cref="Runtime.SpeechEmbedding.SpeechEmbeddingGeometry"/>); computed by <see cref="Runtime.SpeechEmbedding.SpeechEmbeddingEncoder"/>.
    /// </summary>
    public static readonly FrontEnd SpeechEmbedding = new(Runtime.SpeechEmbedding.SpeechEmbeddingGeometry.FrontEndName, FrontEndKind.Frozen,
        "32 log-mel bands every 10 ms, a 96-d embedding every 80 ms over 775 ms (Google's speech_embedding, frozen, on ONNX Runtime)");

    /// <summary>AttnCRNN's: a log-mel spectrogram standardised per clip (<see cref="FrontEnds.LogMelSpectrogram"/>).</summary>
    public static readonly FrontEnd LogMel = new("log-mel", FrontEndKind.Trainable,
        "log-mel spectrogram: 80 bands, FFT 1024, hop 128, 40-8000 Hz, standardised per clip");

    /// <summary>HarmonicCNN's: harmonic band-pass filters with a learnable Q (<see cref="FrontEnds.HarmonicFilterbank"/>).</summary>
    public static readonly FrontEnd HarmonicFilterbank = new("harmonic-filterbank", FrontEndKind.Trainable,
        "harmonic filterbank: FFT 512, hop 256, 6 harmonics of 128 pitches, learnable Q, decibels");
}
