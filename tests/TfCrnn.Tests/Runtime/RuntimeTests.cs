using System.Buffers.Binary;
using TfCrnn.Runtime;
using TfCrnn.Tests.Support;

namespace TfCrnn.Tests.Runtime;

/// <summary>The parts of the app runtime that need no model: framing, state lanes, smoothing, detection, PCM input.</summary>
public sealed class RuntimeTests
{
    /// <summary>
    /// A step model whose state counts the steps since the lane's last reset and whose logits are that count, so the
    /// lane a step is read from shows in its output.
    /// </summary>
    private sealed class AgeModel(int stepsPerClip = 9) : IStepModel
    {
        public StepModelInfo Info { get; } = new(LabelSet.FromLabels(["a", "b"]), 16000, 3200, 1600, 3200 + (stepsPerClip - 1) * 1600, stepsPerClip, 1, 1, "age");

        public int Calls { get; private set; }

        public StepOutput Step(float[] windows, float[] state, int batch)
        {
            Calls++;
            var next = state.Select(s => s + 1).ToArray();
            return new StepOutput([.. next.SelectMany(age => new[] { age, 0f })], next);
        }

        public void Dispose() { }
    }

    private static float[] Ages(StatePolicy policy, int steps)
    {
        using var model = new AgeModel();
        var recognizer = new StreamingRecognizer(model, new RecognizerOptions { State = policy, SmoothingSteps = 1, Threshold = 1 });
        var ages = new List<float>();
        // Softmax of (age, 0) gives back the age: log(p / (1 − p)).
        recognizer.Stepped += (_, s) => ages.Add(MathF.Round(MathF.Log(s.Posteriors[0] / s.Posteriors[1])));
        recognizer.Push(new float[steps * 1600]);
        return [.. ages];
    }

    [Fact]
    public void StatePoliciesReadEachStepFromTheRightLane()
    {
        // The stream counts as preceded by a clip of silence: 8 steps have run before the first one.
        Assert.Equal(Enumerable.Repeat(9f, 20), Ages(StatePolicy.Sliding, 20));
        Assert.Equal(Enumerable.Range(9, 20).Select(a => (float)a), Ages(StatePolicy.Carry, 20));
        Assert.Equal([9, 10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 1], Ages(StatePolicy.Reset(12), 17));
        // Two lanes reset every 12 steps, six apart: the older one always has 7 to 12 steps.
        Assert.Equal([9, 10, 11, 12, 7, 8, 9, 10, 11, 12, 7, 8, 9], Ages(StatePolicy.Staggered(2, 12), 13));
    }

    [Fact]
    public void PoliciesParseAndCostTheirLanes()
    {
        Assert.Equal(StatePolicy.Staggered(3, 18), StatePolicy.Parse("staggered:3:18"));
        Assert.Equal("reset:9", StatePolicy.Parse("reset:9").ToString());
        Assert.Equal(StatePolicy.Sliding, StatePolicy.Parse("sliding"));
        using var model = new AgeModel();
        Assert.Equal(9, new StreamingRecognizer(model, new RecognizerOptions { State = StatePolicy.Sliding }).LanesPerStep);
        Assert.Equal(1, new StreamingRecognizer(model, new RecognizerOptions { State = StatePolicy.Carry }).LanesPerStep);
        foreach (var bad in new[] { "slide", "reset", "reset:0", "staggered:3:2", "staggered:2:x" })
            Assert.Equal("StatePolicy", Assert.Throws<OptionException>(() => StatePolicy.Parse(bad)).Option);
    }

    /// <summary>The runtime is a library for apps: its errors name the property, not a flag of the tfcrnn command.</summary>
    [Fact]
    public void BadOptionsAreNamedByTheirProperty()
    {
        string Message(RecognizerOptions options) => Assert.Throws<OptionException>(() => options.Validate()).Message;
        Assert.Equal("RecognizerOptions.Threshold must lie in [0, 1], got 1.5", Message(new() { Threshold = 1.5f }));
        Assert.Equal("RecognizerOptions.SmoothingSteps must be at least 1 step, got 0", Message(new() { SmoothingSteps = 0 }));
        Assert.Equal("RecognizerOptions.RefractorySeconds must be 0 or more seconds, got -1", Message(new() { RefractorySeconds = -1 }));
        Assert.Equal("RecognizerOptions.Keywords names 'yes' twice", Message(new() { Keywords = ["yes", "yes"] }));
        Assert.StartsWith("StatePolicy reset:0: needs a period", Message(new() { State = new StatePolicy(StateHandling.Reset) }));
    }

    [Fact]
    public void TheFramerHandsOutEachWindowAsSoonAsItsLastSampleArrives()
    {
        var framer = new AudioFramer(window: 8, hop: 4, inputScale: 2f);
        ReadOnlySpan<float> input = [1, 2, 3];
        Assert.False(framer.TryTake(ref input, out _));
        input = [4, 5, 6, 7, 8, 9];
        Assert.True(framer.TryTake(ref input, out var first));
        // Zeros stand for the audio before the stream; samples are multiplied by the scale.
        Assert.Equal([0f, 0, 0, 0, 2, 4, 6, 8], first.ToArray());
        Assert.Equal(5, input.Length);
        Assert.True(framer.TryTake(ref input, out var second));
        Assert.Equal([2f, 4, 6, 8, 10, 12, 14, 16], second.ToArray());
        Assert.False(framer.TryTake(ref input, out _));
        Assert.Equal(2, framer.Windows);
    }

    [Fact]
    public void WithoutARefractoryTimeTheRuleAndTheRecognizerTakeTheModels()
    {
        var info = new StepModelInfo(LabelSet.FromLabels(["yes", "no", LabelSet.None]), 16000, 3200, 1600, 16000, 9, 4, 1, "x",
            RefractorySeconds: 1.5);
        float[] yes = [0.9f, 0.05f, 0.05f];
        var rule = new DetectionRule(info, new RecognizerOptions { Threshold = 0.6f });
        Assert.NotNull(rule.Observe(yes, 1.0));
        Assert.Null(rule.Observe(yes, 2.4));
        Assert.NotNull(rule.Observe(yes, 2.5));
        var given = new DetectionRule(info, new RecognizerOptions { Threshold = 0.6f, RefractorySeconds = 1 });
        Assert.NotNull(given.Observe(yes, 1.0));
        Assert.NotNull(given.Observe(yes, 2.0));
        Assert.Equal(RecognizerOptions.DefaultRefractorySeconds, (info with { RefractorySeconds = RecognizerOptions.DefaultRefractorySeconds }).RefractorySeconds);
    }

    [Fact]
    public void DetectionsFireAtTheThresholdOnceInTheRefractoryTimeAndNeverForRejection()
    {
        var info = new StepModelInfo(LabelSet.FromLabels(["yes", "no", LabelSet.None]), 16000, 3200, 1600, 16000, 9, 4, 1, "x");
        var rule = new DetectionRule(info, new RecognizerOptions { Threshold = 0.6f, RefractorySeconds = 1 });
        Assert.Null(rule.Observe([0.1f, 0.05f, 0.85f], 0.5));
        Assert.Null(rule.Observe([0.55f, 0.4f, 0.05f], 0.6));
        Assert.Equal(new Detection("yes", 0, 0.7, 0.6f), rule.Observe([0.6f, 0.3f, 0.1f], 0.7));
        Assert.Null(rule.Observe([0.1f, 0.9f, 0.0f], 1.6));
        Assert.Equal(new Detection("no", 0.7, 1.7, 0.9f), rule.Observe([0.1f, 0.9f, 0.0f], 1.7));

        var listening = new DetectionRule(info, new RecognizerOptions { Threshold = 0.6f, Keywords = ["no"] });
        Assert.Null(listening.Observe([0.9f, 0.1f, 0.0f], 0.5));
        Assert.Equal(new Detection("no", 0, 0.6, 0.7f), listening.Observe([0.3f, 0.7f, 0.0f], 0.6));
        Assert.Equal("RecognizerOptions.Keywords", Assert.Throws<OptionException>(() => new DetectionRule(info, new RecognizerOptions { Keywords = [LabelSet.None] })).Option);
        Assert.Equal("RecognizerOptions.Keywords", Assert.Throws<OptionException>(() => new DetectionRule(info, new RecognizerOptions { Keywords = [] })).Option);

        // The top classes of a step, of all or of some (a live display of the words listened for).
        var step = new RecognitionStep(0, 0.1, [0.2f, 0.3f, 0.5f], null, info.Labels);
        Assert.Equal([(LabelSet.None, 0.5f), ("no", 0.3f)], step.Top(2));
        Assert.Equal([(LabelSet.None, 0.5f), ("yes", 0.2f)], step.Top(2, [0, 2]));

        var smoother = new PosteriorSmoother(3, 2);
        Assert.Equal([1f, 0f], smoother.Add([1f, 0f]));
        Assert.Equal([0.5f, 0.5f], smoother.Add([0f, 1f]));
        smoother.Add([0f, 1f]);
        Assert.Equal([0f, 1f], smoother.Add([0f, 1f]));
    }

    private static byte[] Pcm(params short[] samples) =>
        [.. samples.SelectMany(s => { var b = new byte[2]; BinaryPrimitives.WriteInt16LittleEndian(b, s); return b; })];

    /// <summary>The header of a WAV stream, its sizes placeholders as arecord writes them (the RIFF size 36 bytes past the data's).</summary>
    private static byte[] WavHeader(int rate, int channels, int bits = 16, ushort format = 1) =>
        new WavBuilder { RiffSize = 0x7FFFFFFFu + 36 }.Format(format, channels, rate, bits).Chunk("LIST", [1, 2, 3])
            .Data([.. Enumerable.Repeat(Array.Empty<float>(), channels)], bits, declaredSize: 0x7FFFFFFF).Build();

    /// <summary>A pipe that hands out one to three bytes per read.</summary>
    private static ChunkedPipe Pipe(byte[] bytes) => new(bytes, 1, 2, 3);

    private static async Task<(float[] Samples, AudioStreamReader Reader, List<string> Notes)> ReadAll(Stream stream, int buffer = 5)
    {
        var reader = new AudioStreamReader(stream, 16000, "stdin");
        var notes = new List<string>();
        reader.Noted += (_, note) => notes.Add(note);
        var samples = new List<float>();
        var chunk = new float[buffer];
        int read;
        while ((read = await reader.ReadAsync(chunk)) > 0) samples.AddRange(chunk[..read]);
        return ([.. samples], reader, notes);
    }

    [Fact]
    public async Task AudioStreamsAreRawSamplesOrAWavStreamReadAsTheyArrive()
    {
        var (raw, rawReader, rawNotes) = await ReadAll(Pipe(Pcm(1, -2, 32767, -32768, 0, 5, 6)));
        Assert.False(rawReader.IsWav);
        Assert.Equal(new[] { 1, -2, 32767, -32768, 0, 5, 6 }.Select(s => s / 32768f), raw);
        Assert.Empty(rawNotes);

        // arecord's header: a placeholder data size, data read to the end; stereo is mixed down.
        var (stereo, wavReader, notes) = await ReadAll(Pipe([.. WavHeader(16000, 2), .. Pcm(100, 300, -50, -150)]));
        Assert.True(wavReader.IsWav);
        Assert.Equal([200 / 32768f, -100 / 32768f], stereo);
        Assert.Equal(["mixed 2 channels down to mono"], notes);

        // A real data size ends the audio there, whatever follows.
        var sized = new WavBuilder { Trailing = Pcm(9, 10) }.Format(1, 1, 16000, 16).Data([[7 / 32768f, 8 / 32768f]], 16).Build();
        var (bounded, _, _) = await ReadAll(Pipe(sized));
        Assert.Equal([7 / 32768f, 8 / 32768f], bounded);
        Assert.Empty((await ReadAll(new MemoryStream([]))).Samples);

        // Another rate is resampled as it arrives: 0.1 s at 44.1 kHz gives 0.1 s at 16 kHz.
        var (resampled, _, resampledNotes) = await ReadAll(Pipe([.. WavHeader(44100, 1), .. Pcm([.. Enumerable.Repeat((short)8192, 4410)])]), 333);
        Assert.Equal(1600, resampled.Length);
        Assert.Equal(["resampled from 44100 Hz to 16000 Hz"], resampledNotes);
    }

    [Fact]
    public async Task AStreamThatEndsInsideASampleFrameGivesItsWholeFramesAndOneNote()
    {
        var (raw, _, rawNotes) = await ReadAll(Pipe([.. Pcm(1, 2, 3), 9]));
        Assert.Equal([1 / 32768f, 2 / 32768f, 3 / 32768f], raw);
        Assert.Equal(["the audio ends inside a sample frame (1 byte left over): the whole frames before it are used"], rawNotes);

        var (stereo, _, notes) = await ReadAll(Pipe([.. WavHeader(16000, 2), .. Pcm(100, 300, -50)]));
        Assert.Equal([200 / 32768f], stereo);
        Assert.Equal(["mixed 2 channels down to mono", "the audio ends inside a sample frame (2 bytes left over): the whole frames before it are used"], notes);
    }

    [Fact]
    public async Task BadWavStreamsEndWithTheErrorsOfAWavFile()
    {
        async Task<string> Error(byte[] bytes) =>
            (await Assert.ThrowsAsync<AudioFormatException>(() => ReadAll(Pipe(bytes)))).Message;

        Assert.Equal("stdin: truncated header (6 bytes; a WAV file starts with a 12-byte RIFF header)", await Error("RIFF\x10\0"u8.ToArray()));
        Assert.Equal("stdin: not a WAVE file (RIFF form type is not WAVE)", await Error("RIFF\0\0\0\0AVI LIST"u8.ToArray()));
        Assert.Equal("stdin: truncated header (fmt chunk claims 16 bytes, 10 present)", await Error([.. WavHeader(16000, 1)[..30]]));
        Assert.Equal("stdin: unsupported codec (format tag 0x0055; only PCM and IEEE float are read)", await Error(WavHeader(16000, 1, format: 0x55)));
        // A pipe cannot go back to the audio once the format after it is known.
        var dataFirst = new WavBuilder().Data([[0.5f, 0.25f]], 16).Format(1, 1, 16000, 16).Build();
        Assert.StartsWith("stdin: the data chunk comes before the fmt chunk", await Error(dataFirst));
    }
}
