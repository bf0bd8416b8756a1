using TfCrnn.Audio;
using TfCrnn.Checkpoints;
using TfCrnn.Data;
using TfCrnn.Models;
using TfCrnn.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace TfCrnn.Evaluation;

/// <summary>What <c>tfcrnn predict</c> does, callable from C#: <see cref="Predictor.Predict"/>.</summary>
public sealed record PredictionOptions
{
    /// <summary>A run folder, a model folder, or a weights file with config.json beside it.</summary>
    public required string Checkpoint { get; init; }

    /// <summary>WAV files of any rate, channel count and length.</summary>
    public required IReadOnlyList<string> Files { get; init; }

    /// <summary>How many words to list per file.</summary>
    public int Top { get; init; } = 5;

    /// <summary>Precision of the forward passes (float32 unless asked; bfloat16 on the torch engine only).</summary>
    public InferenceOptions Inference { get; init; } = new();

    /// <summary>ONNX Runtime unless TorchSharp is asked or needed (<see cref="InferenceEngines.Resolve"/>).</summary>
    public InferenceEngine Engine { get; init; }

    /// <summary>
    /// A folder holding the speech-embedding encoder's two files (<c>--encoder</c>), for models that hear it; null: the
    /// per-user cache that <c>tfcrnn encoder install</c> fills.
    /// </summary>
    public string? EncoderDirectory { get; init; }

    /// <summary>The embedding cache's root (<c>--embedding-cache</c>); null: the per-user cache folder.</summary>
    public string? EmbeddingCache { get; init; }

    /// <summary>Where a frozen front end finds its encoder and cache.</summary>
    internal SpeechEmbedding.FrontEndOptions FrontEnd => new(EncoderDirectory, EmbeddingCache, 1);

    /// <summary>Throws <see cref="OptionException"/> naming the first bad value.</summary>
    public PredictionOptions Validate()
    {
        OptionChecks.Required("--checkpoint", Checkpoint);
        if (Files.Count == 0) throw new OptionException("FILE", "is required: give at least one WAV file");
        OptionChecks.AtLeast("--top", Top, 1);
        InferenceEngines.Check(Engine, Inference.Precision);
        Inference.Validate();
        return this;
    }
}

/// <summary>The prediction for one file.</summary>
/// <param name="Top">The most probable words at the last step, best first.</param>
/// <param name="StepProbabilities">[step][class] softmax of every step (one step for the CNN).</param>
/// <param name="Notes">What was done to fit the audio to the model (resampling, mixing, cutting or padding).</param>
public sealed record FilePrediction(string File, IReadOnlyList<WordProbability> Top, float[][] StepProbabilities,
    IReadOnlyList<string> Notes)
{
    /// <summary>The probability of <paramref name="word"/> at every step.</summary>
    public float[] Steps(WordProbability word) => [.. StepProbabilities.Select(s => s[word.Class])];
}

/// <summary>Predicts the words of arbitrary WAV files.</summary>
public static class Predictor
{
    /// <summary>The <c>predict</c> verb: the top words of each file, by the engine the options choose.</summary>
    public static IReadOnlyList<FilePrediction> Predict(PredictionOptions options, CancellationToken cancellationToken = default)
    {
        options.Validate();
        using var model = ClipClassifier.Open(options.Checkpoint, options.Engine, threads: 1, options.Inference, options.FrontEnd);
        var labels = model.Labels;
        var results = new List<FilePrediction>();
        foreach (var file in options.Files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (waveform, notes) = Load(file);
            var steps = Probabilities(model, waveform);
            var top = steps[^1].Select((p, i) => new WordProbability(labels[i], p, i))
                .OrderByDescending(w => w.Probability).Take(options.Top).ToList();
            results.Add(new FilePrediction(file, top, steps, notes));
        }
        return results;
    }

    /// <summary>[step][class] softmax of one preprocessed clip (16,000 scaled samples).</summary>
    public static float[][] Probabilities(SpeechCommandModel model, float[] waveform)
    {
        using var classifier = ClipClassifier.Of(model);
        return Probabilities(classifier, waveform);
    }

    /// <inheritdoc cref="Probabilities(SpeechCommandModel, float[])"/>
    internal static float[][] Probabilities(ClipClassifier model, float[] waveform)
    {
        using var scope = NewDisposeScope();
        var probabilities = model.Logits(tensor(waveform, [1, 1, waveform.Length], device: model.Device)).softmax(-1).cpu();
        var (steps, classes) = ((int)probabilities.shape[0], (int)probabilities.shape[2]);
        var flat = probabilities.data<float>().ToArray();
        return [.. Enumerable.Range(0, steps).Select(s => flat.AsSpan(s * classes, classes).ToArray())];
    }

    /// <summary>
    /// Reads any WAV and turns it into the model's input: mixed to mono, resampled to 16 kHz, centred
    /// and zero-padded or centre-cut to one second, scaled (<see cref="Preprocessing.Prepare(ReadOnlySpan{float})"/>).
    /// </summary>
    public static (float[] Waveform, IReadOnlyList<string> Notes) Load(string path)
    {
        var audio = WavFile.Read(path);
        var notes = new List<string>();
        var samples = audio.MixDown();
        if (audio.PartialFrameBytes > 0) notes.Add(WavReader.PartialFrameNote(audio.PartialFrameBytes));
        if (audio.ChannelCount > 1) notes.Add($"mixed {audio.ChannelCount} channels down to mono");
        if (audio.SampleRate != 16000)
        {
            samples = Resampler.Resample(samples, audio.SampleRate, 16000);
            notes.Add($"resampled from {audio.SampleRate} Hz to 16000 Hz");
        }
        if (samples.Length > Preprocessing.ClipSamples)
            notes.Add($"{samples.Length / 16000.0:0.###} s long: kept the middle 1 s");
        else if (samples.Length < Preprocessing.ClipSamples)
            notes.Add($"{samples.Length / 16000.0:0.###} s long: zero-padded to 1 s, centred");
        return (Preprocessing.Prepare(samples), notes);
    }
}
