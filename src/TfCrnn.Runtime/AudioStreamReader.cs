namespace TfCrnn.Runtime;

/// <summary>
/// Reads a recording from a file or a pipe as it arrives, in constant memory, as a model takes it: mono samples in
/// [-1, 1] at <c>sampleRate</c>. The input is a WAV stream of any rate, channel count and sample format
/// (<see cref="WavReader"/>: PCM 8/16/24/32-bit, float 32/64-bit, WAVE_FORMAT_EXTENSIBLE, RIFF or RIFX), whose
/// channels are mixed down (their mean) and whose rate is converted (<see cref="StreamingResampler"/>) as the audio
/// arrives; or, where <see cref="AcceptsRawPcm"/>, raw 16-bit little-endian mono PCM at <c>sampleRate</c>, what
/// <c>arecord -t raw</c> writes. A recording that ends inside a sample frame gives its whole frames and a note.
/// </summary>
public sealed class AudioStreamReader
{
    /// <summary>Frames decoded at a time.</summary>
    private const int FramesPerRead = 4096;

    private readonly Stream stream;
    private readonly string name;
    private WavReader? wav;
    private StreamingResampler? resampler;
    private float[] frames = [];
    private float[] mono = [];
    private float[] pending = [];
    private int pendingStart;
    private int pendingCount;
    private bool finished;

    /// <param name="stream">The recording; the caller owns it.</param>
    /// <param name="sampleRate">The rate the samples are wanted at (the model's).</param>
    /// <param name="nameForErrors">How errors and notes name the recording (a path, <c>stdin</c>).</param>
    public AudioStreamReader(Stream stream, int sampleRate, string nameForErrors)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(sampleRate, 0);
        this.stream = stream;
        SampleRate = sampleRate;
        name = nameForErrors;
    }

    /// <summary>
    /// Whether input without a RIFF header is raw 16-bit mono PCM at the sample rate (a pipe; the default) rather than
    /// an error (a file that must be a WAV file).
    /// </summary>
    public bool AcceptsRawPcm { get; init; } = true;

    /// <summary>The rate of the samples read.</summary>
    public int SampleRate { get; }

    /// <summary>How errors and notes name the recording.</summary>
    public string Name => name;

    /// <summary>Whether the input turned out to be a WAV stream rather than raw samples (known after the first read).</summary>
    public bool IsWav => wav?.IsWav ?? false;

    /// <summary>
    /// The samples the recording will give, where the header tells and the stream's length bounds it (a WAV file);
    /// null before the first read or when unknown (a pipe).
    /// </summary>
    public long? Length { get; private set; }

    /// <summary>
    /// Raised with what was done to fit the recording (mixed down, resampled) once its header is read, and when it ends
    /// inside a sample frame. The text does not name the recording.
    /// </summary>
    public event EventHandler<string>? Noted;

    /// <summary>Fills <paramref name="samples"/> with the next samples; returns how many (0 at the end).</summary>
    /// <exception cref="AudioFormatException">Not a WAV stream this reader understands, or a file that is no WAV file.</exception>
    public async ValueTask<int> ReadAsync(float[] samples, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (wav is null)
            await OpenAsync(cancellationToken);
        while (pendingCount == 0 && !finished)
            await DecodeAsync(cancellationToken);
        var taken = Math.Min(pendingCount, samples.Length);
        Array.Copy(pending, pendingStart, samples, 0, taken);
        pendingStart += taken;
        pendingCount -= taken;
        return taken;
    }

    private async ValueTask OpenAsync(CancellationToken cancellationToken)
    {
        wav = await WavReader.OpenAsync(stream, name, AcceptsRawPcm ? SampleRate : null, synchronous: false, cancellationToken);
        var format = wav.Format;
        frames = new float[FramesPerRead * format.Channels];
        mono = new float[FramesPerRead];
        if (format.Channels > 1) Noted?.Invoke(this, $"mixed {format.Channels} channels down to mono");
        if (format.SampleRate != SampleRate)
        {
            resampler = new StreamingResampler(format.SampleRate, SampleRate);
            Noted?.Invoke(this, $"resampled from {format.SampleRate} Hz to {SampleRate} Hz");
        }
        if (wav.DataBytes is { } bytes)
        {
            var count = bytes / format.BlockAlign;
            Length = resampler is null ? count : (long)Math.Round(count * (double)SampleRate / format.SampleRate);
        }
    }

    /// <summary>Decodes the frames that have arrived, mixes them down and resamples them into the pending samples.</summary>
    private async ValueTask DecodeAsync(CancellationToken cancellationToken)
    {
        var channels = wav!.Format.Channels;
        var read = await wav.ReadFramesAsync(frames, cancellationToken);
        if (read == 0)
        {
            finished = true;
            Queue(resampler is null ? [] : resampler.Finish());
            if (wav.PartialFrameBytes > 0)
                Noted?.Invoke(this, WavReader.PartialFrameNote(wav.PartialFrameBytes));
            return;
        }
        if (channels == 1)
            frames.AsSpan(0, read).CopyTo(mono);
        else
        {
            // As TfCrnn.Audio.WavAudio.MixDown: the channels summed in order, times 1 / channels.
            var scale = 1f / channels;
            for (var f = 0; f < read; f++)
            {
                var sum = 0f;
                for (var c = 0; c < channels; c++) sum += frames[f * channels + c];
                mono[f] = sum * scale;
            }
        }
        var samples = mono.AsSpan(0, read);
        Queue(resampler is null ? samples : resampler.Push(samples));
    }

    private void Queue(ReadOnlySpan<float> samples)
    {
        if (pending.Length < samples.Length) pending = new float[samples.Length];
        samples.CopyTo(pending);
        pendingStart = 0;
        pendingCount = samples.Length;
    }
}
