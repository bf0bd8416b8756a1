namespace TfCrnn.Runtime;

/// <summary>
/// Recognizes keywords in a stream of audio fed in chunks of any size: frames it into the model's windows, runs the
/// model's lanes (<see cref="StatePolicy"/>), smooths the posteriors and applies the <see cref="DetectionRule"/>.
/// It keeps all state between chunks and never looks ahead: a step is decided as soon as its last sample arrives.
/// Time 0 is the first sample; the audio before it counts as silence. The caller owns the model.
/// </summary>
public sealed class StreamingRecognizer
{
    private readonly StepModelInfo info;
    private readonly AudioFramer framer;
    private readonly LaneRunner runner;
    private readonly PosteriorSmoother smoother;
    private readonly DetectionRule rule;
    private readonly List<Detection> decided = [];

    public StreamingRecognizer(IStepModel model, RecognizerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var given = (options ?? new RecognizerOptions()).Validate();
        // The options in force, the model's refractory time filled in: what a report of the run shows.
        Options = given with { RefractorySeconds = given.RefractorySeconds ?? model.Info.RefractorySeconds };
        info = model.Info.Validate();
        framer = new AudioFramer(info.Window, info.Hop, info.InputScale);
        runner = new LaneRunner(model, Options.State);
        smoother = new PosteriorSmoother(Options.SmoothingSteps, info.Labels.Count);
        rule = DetectionRule.ForValidated(info, Options);
        // Lanes that start with the stream have heard a clip of silence before its first sample, as a clip's
        // last step has heard the whole clip.
        var silence = new float[info.Window];
        for (var i = 1; i < info.StepsPerClip; i++)
            runner.Step(silence);
    }

    public RecognizerOptions Options { get; }

    public StepModelInfo Model => info;

    /// <summary>Model lane-steps per decision step (the cost of the state policy).</summary>
    public int LanesPerStep => runner.Lanes;

    /// <summary>Decision steps taken so far.</summary>
    public long Steps => framer.Windows;

    /// <summary>Seconds of audio heard at the last decision step.</summary>
    public double Seconds => Steps * (double)info.Hop / info.SampleRate;

    /// <summary>Raised for every decision step, in order (with its detection, if any).</summary>
    public event EventHandler<RecognitionStep>? Stepped;

    /// <summary>Raised for every detection, as soon as it is decided.</summary>
    public event EventHandler<Detection>? Detected;

    /// <summary>Feeds samples in [-1, 1] at the model's sample rate; returns the detections decided on them.</summary>
    public IReadOnlyList<Detection> Push(ReadOnlySpan<float> samples)
    {
        decided.Clear();
        while (framer.TryTake(ref samples, out var window))
        {
            var posteriors = smoother.Add(PosteriorSmoother.Softmax(runner.Step(window)));
            var index = framer.Windows - 1;
            var end = framer.Windows * (double)info.Hop / info.SampleRate;
            var detection = rule.Observe(posteriors, end);
            Stepped?.Invoke(this, new RecognitionStep(index, end, posteriors, detection, info.Labels));
            if (detection is null) continue;
            decided.Add(detection);
            Detected?.Invoke(this, detection);
        }
        return [.. decided];
    }

    /// <summary>
    /// Reads a recording from <paramref name="audio"/> (<see cref="AudioStreamReader"/>: a WAV stream of any format,
    /// rate and channels, or raw 16-bit mono PCM at the model's rate) until it ends, yielding each detection as soon
    /// as it is decided.
    /// </summary>
    /// <exception cref="AudioFormatException">The stream is not a WAV stream the reader understands.</exception>
    public IAsyncEnumerable<Detection> RecognizeAsync(Stream audio, string nameForErrors, CancellationToken cancellationToken = default) =>
        RecognizeAsync(new AudioStreamReader(audio, info.SampleRate, nameForErrors), cancellationToken);

    /// <summary>Reads <paramref name="audio"/> until it ends, yielding each detection as soon as it is decided.</summary>
    /// <param name="audio">A reader at the model's sample rate.</param>
    public async IAsyncEnumerable<Detection> RecognizeAsync(AudioStreamReader audio,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(audio);
        if (audio.SampleRate != info.SampleRate)
            throw new ArgumentException($"a reader at {audio.SampleRate} Hz for a model at {info.SampleRate} Hz", nameof(audio));
        var buffer = new float[info.Hop];
        int read;
        while ((read = await audio.ReadAsync(buffer, cancellationToken)) > 0)
            foreach (var detection in Push(buffer.AsSpan(0, read)))
                yield return detection;
    }
}
