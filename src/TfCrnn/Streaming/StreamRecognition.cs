using System.Runtime.CompilerServices;
using TfCrnn.Audio;
using TfCrnn.Native;
using TfCrnn.Runtime;

namespace TfCrnn.Streaming;

/// <summary>
/// The <c>stream</c> verb: keywords in a WAV file or a live PCM stream, each as soon as it is decided. Either is read
/// in chunks as it arrives (<see cref="AudioStreamReader"/>), in memory that does not grow with its length.
/// </summary>
public static class StreamRecognition
{
    /// <summary>Keywords in a recording: a WAV file of any rate, channels and sample format, fed as fast as the model runs.</summary>
    /// <param name="wavPath">The recording.</param>
    /// <param name="stepped">Called for every decision step (a live display of the current posteriors).</param>
    /// <param name="notes">Called with what was done to the file to fit the model (resampling, mixing down), naming it.</param>
    public static async IAsyncEnumerable<Detection> RunAsync(StreamOptions options, string wavPath,
        Action<RecognitionStep>? stepped = null, Action<string>? notes = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(wavPath);
        using var model = Open(options);
        await using var file = WavFile.OpenRead(wavPath);
        var audio = new AudioStreamReader(file, model.Info.SampleRate, wavPath) { AcceptsRawPcm = false };
        await foreach (var detection in Recognize(model, options, audio, stepped, notes, cancellationToken))
            yield return detection;
    }

    /// <summary>
    /// Keywords in a live stream, read until it ends: raw 16 kHz mono 16-bit little-endian PCM, or a WAV stream of any
    /// rate, channels and sample format (<see cref="AudioStreamReader"/>).
    /// </summary>
    /// <param name="audio">The stream; the caller owns it.</param>
    /// <param name="streamName">How errors and notes name the stream (<c>stdin</c>).</param>
    /// <param name="stepped">Called for every decision step (a live display of the current posteriors).</param>
    /// <param name="notes">Called with what was done to the stream to fit the model (resampling, mixing down), naming it.</param>
    public static async IAsyncEnumerable<Detection> RunAsync(StreamOptions options, Stream audio, string streamName,
        Action<RecognitionStep>? stepped = null, Action<string>? notes = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(audio);
        using var model = Open(options);
        await foreach (var detection in Recognize(model, options, new AudioStreamReader(audio, model.Info.SampleRate, streamName), stepped, notes, cancellationToken))
            yield return detection;
    }

    /// <summary>Validates the options (the one check of this entry) and opens the model with its threads.</summary>
    private static IStepModel Open(StreamOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        TorchThreads.Apply(options.Threads);
        return StepModels.Open(options.Checkpoint, options.Engine, options.Threads, options.EncoderDirectory);
    }

    private static IAsyncEnumerable<Detection> Recognize(IStepModel model, StreamOptions options, AudioStreamReader audio,
        Action<RecognitionStep>? stepped, Action<string>? notes, CancellationToken cancellationToken)
    {
        var recognizer = new StreamingRecognizer(model, options.Recognizer);
        if (stepped is not null) recognizer.Stepped += (_, step) => stepped(step);
        if (notes is not null) audio.Noted += (_, note) => notes($"{audio.Name}: {note}");
        return recognizer.RecognizeAsync(audio, cancellationToken);
    }
}
