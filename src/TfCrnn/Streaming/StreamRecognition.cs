using System.Runtime.CompilerServices;
using TfCrnn.Native;
using TfCrnn.Runtime;

namespace TfCrnn.Streaming;

/// <summary>The <c>stream</c> verb: keywords in a WAV file or a live PCM stream, each as soon as it is decided.</summary>
public static class StreamRecognition
{
    /// <summary>Chunk of a WAV file fed at a time (a file is fed as fast as the model runs).</summary>
    private const int FileChunkSamples = 1600;

    /// <summary>Keywords in a recording: a WAV file of any rate and channels, fed as fast as the model runs.</summary>
    /// <param name="wavPath">The recording.</param>
    /// <param name="stepped">Called for every decision step (a live display of the current posteriors).</param>
    /// <param name="notes">Called with what was done to the file to fit the model (resampling, mixing down).</param>
    public static async IAsyncEnumerable<Detection> RunAsync(StreamOptions options, string wavPath,
        Action<RecognitionStep>? stepped = null, Action<string>? notes = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(wavPath);
        using var model = Open(options);
        var recognizer = Recognizer(model, options, stepped);
        var (samples, fileNotes) = StreamAudio.Read(wavPath, model.Info.SampleRate);
        foreach (var note in fileNotes) notes?.Invoke($"{wavPath}: {note}");
        for (var start = 0; start < samples.Length; start += FileChunkSamples)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var detection in recognizer.Push(samples.AsSpan(start, Math.Min(FileChunkSamples, samples.Length - start))))
                yield return detection;
        }
    }

    /// <summary>
    /// Keywords in a live stream, read until it ends: raw 16 kHz mono 16-bit little-endian PCM or a 16 kHz WAV stream
    /// (<see cref="StreamingRecognizer.RecognizeAsync"/>).
    /// </summary>
    /// <param name="pcm">The stream; the caller owns it.</param>
    /// <param name="streamName">How errors about the stream name it (<c>stdin</c>).</param>
    /// <param name="stepped">Called for every decision step (a live display of the current posteriors).</param>
    public static async IAsyncEnumerable<Detection> RunAsync(StreamOptions options, Stream pcm, string streamName,
        Action<RecognitionStep>? stepped = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pcm);
        using var model = Open(options);
        var recognizer = Recognizer(model, options, stepped);
        await foreach (var detection in recognizer.RecognizeAsync(pcm, streamName, cancellationToken))
            yield return detection;
    }

    /// <summary>Validates the options (the one check of this entry) and opens the model with its threads.</summary>
    private static IStepModel Open(StreamOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        TorchThreads.Apply(options.Threads);
        return StepModels.Open(options.Checkpoint, options.Engine, options.Threads);
    }

    private static StreamingRecognizer Recognizer(IStepModel model, StreamOptions options, Action<RecognitionStep>? stepped)
    {
        var recognizer = new StreamingRecognizer(model, options.Recognizer);
        if (stepped is not null) recognizer.Stepped += (_, step) => stepped(step);
        return recognizer;
    }
}
