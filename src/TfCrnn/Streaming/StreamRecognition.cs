using System.Runtime.CompilerServices;
using TfCrnn.Native;
using TfCrnn.Runtime;

namespace TfCrnn.Streaming;

/// <summary>The <c>stream</c> verb: keywords in a WAV file or a live PCM stream, each as soon as it is decided.</summary>
public static class StreamRecognition
{
    /// <summary>Chunk of a WAV file fed at a time (a file is fed as fast as the model runs).</summary>
    private const int FileChunkSamples = 1600;

    /// <param name="standardInput">The stream read when <see cref="StreamOptions.Input"/> is <see cref="StreamOptions.StandardInput"/>.</param>
    /// <param name="stepped">Called for every decision step (a live display of the current posteriors).</param>
    /// <param name="notes">Called with what was done to a file to fit the model (resampling, mixing down).</param>
    public static async IAsyncEnumerable<Detection> RunAsync(StreamOptions options, Stream? standardInput = null,
        Action<RecognitionStep>? stepped = null, Action<string>? notes = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        options.Validate();
        TorchThreads.Apply(options.Threads);
        using var model = StepModels.Open(options.Checkpoint, options.Engine, options.Threads);
        var recognizer = new StreamingRecognizer(model, options.Recognizer);
        if (stepped is not null) recognizer.Stepped += (_, step) => stepped(step);
        if (options.Input == StreamOptions.StandardInput)
        {
            ArgumentNullException.ThrowIfNull(standardInput);
            await foreach (var detection in recognizer.RecognizeAsync(standardInput, "stdin", cancellationToken))
                yield return detection;
            yield break;
        }
        var (samples, fileNotes) = StreamAudio.Read(options.Input, model.Info.SampleRate);
        foreach (var note in fileNotes) notes?.Invoke($"{options.Input}: {note}");
        for (var start = 0; start < samples.Length; start += FileChunkSamples)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var detection in recognizer.Push(samples.AsSpan(start, Math.Min(FileChunkSamples, samples.Length - start))))
                yield return detection;
        }
    }
}
