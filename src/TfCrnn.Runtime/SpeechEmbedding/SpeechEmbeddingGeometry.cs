using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TfCrnn.Runtime.SpeechEmbedding;

/// <summary>
/// The time geometry of the speech-embedding front end (Lin et al. 2020, "Training keyword spotters with limited and
/// synthesized speech data", Google's <c>speech_embedding</c>, as openWakeWord converted it to ONNX), in one place:
/// a 32-band log-mel frame every 10 ms, computed in blocks of 8 frames; a 96-d embedding of 76 frames every 8 frames
/// (80 ms); a one-second clip padded with silence so that <see cref="ClipSteps"/> embeddings sweep across the word.
/// </summary>
/// <remarks>
/// Frame f covers samples [160·f, 160·f + 512). <c>melspectrogram.onnx</c> floors its decibels at 80 dB below the
/// loudest value of the whole input it is given, so a frame's value depends on which frames share its call. Here the
/// frames share their <see cref="BlockFrames"/>-frame block (block b: frames 8·b … 8·b + 7, samples [1280·b,
/// 1280·b + 1632)), as openWakeWord's streaming calls the graph on 1,280 new samples at a time: a clip and a stream
/// then give the same frames, and every front end (C#, ONNX Runtime, the browser) the same values.
/// Window w covers frames 8·w … 8·w + 75, so it is ready once block w + 9 is.
/// </remarks>
public static class SpeechEmbeddingGeometry
{
    /// <summary>The front end's name: a model's <c>front_end</c> in <c>tfcrnn info</c> and in an export's metadata.</summary>
    public const string FrontEndName = "speech-embedding";

    /// <summary>Samples per second.</summary>
    public const int SampleRate = 16000;

    /// <summary>
    /// The refractory time of a head over the embedding (<see cref="StepModelInfo.RefractorySeconds"/>): its 16 steps of
    /// 775 ms windows keep a word in view for about two seconds, so after a second the same word fired again. On a
    /// real-speaker stream (bench/results/real-speech.md, "A stream of real speakers") 1.5 s gave F1 0.81 at 28 false
    /// alarms an hour where 1 s gave 0.70 at 420, and 2 s lost recall (0.76).
    /// </summary>
    public const double RefractorySeconds = 1.5;

    /// <summary>Samples in [-1, 1] are multiplied by this before the log-mel graph (openWakeWord feeds int16 values).</summary>
    public const float InputScale = 32767f;

    /// <summary>Samples per analysis frame (the FFT size; the Hann window inside it is <see cref="WindowSamples"/> long).</summary>
    public const int FrameSamples = 512;

    /// <summary>The Hann window's length, centred in the frame (25 ms).</summary>
    public const int WindowSamples = 400;

    /// <summary>Samples between frames (10 ms).</summary>
    public const int HopSamples = 160;

    /// <summary>Mel bands per frame.</summary>
    public const int MelBands = 32;

    /// <summary>Frames that share one decibel floor, as one call of <c>melspectrogram.onnx</c> in openWakeWord's streaming.</summary>
    public const int BlockFrames = 8;

    /// <summary>Frames per embedding window (775 ms).</summary>
    public const int WindowFrames = 76;

    /// <summary>Frames between embedding windows (80 ms): one embedding per block.</summary>
    public const int StepFrames = BlockFrames;

    /// <summary>Dimensions of an embedding.</summary>
    public const int Dimensions = 96;

    /// <summary>Samples between embeddings (80 ms).</summary>
    public const int StepSamples = StepFrames * HopSamples;

    /// <summary>Samples of a block's frames: 8 hops and the last frame's tail.</summary>
    public const int BlockSamples = (BlockFrames - 1) * HopSamples + FrameSamples;

    /// <summary>Blocks whose frames window w needs beyond its first block (blocks w … w + 9).</summary>
    public const int WindowBlocks = (WindowFrames + BlockFrames - 1) / BlockFrames;

    /// <summary>Samples of a clip (one second).</summary>
    public const int ClipSamples = SampleRate;

    /// <summary>Silence before a clip (0.5 s), so that the first windows hear the word's onset.</summary>
    public const int ClipPadBefore = SampleRate / 2;

    /// <summary>Embeddings of one clip: the windows that fit its padded samples.</summary>
    public const int ClipSteps = 16;

    /// <summary>The padded clip: <see cref="ClipPadBefore"/>, the clip, and silence up to the last window's block (0.52 s).</summary>
    public static int PaddedClipSamples => SamplesForSteps(ClipSteps);

    /// <summary>Samples a stream needs, from its start, before it has given <paramref name="steps"/> embeddings.</summary>
    public static int SamplesForSteps(int steps) =>
        steps <= 0 ? 0 : (steps - 1 + WindowBlocks - 1) * StepSamples + BlockSamples;

    /// <summary>Complete blocks in <paramref name="samples"/> samples.</summary>
    public static int BlocksIn(long samples) =>
        samples < BlockSamples ? 0 : checked((int)((samples - BlockSamples) / StepSamples + 1));

    /// <summary>Embedding windows whose blocks are all among <paramref name="blocks"/> complete blocks.</summary>
    public static int StepsForBlocks(int blocks) => Math.Max(0, blocks - (WindowBlocks - 1));

    /// <summary>
    /// Samples a streaming step takes in: the <see cref="WindowBlocks"/> blocks of one embedding window (13,152), the
    /// <see cref="StepModelInfo.Window"/> of a model over this front end.
    /// </summary>
    public static int StepWindowSamples => SamplesForSteps(1);

    /// <summary>
    /// The numbers above, as an export's <c>front_end_geometry</c> metadata holds them (JSON, snake case), so that a
    /// front end in another language (the browser page) computes what this one computes.
    /// </summary>
    public static string ToJson() =>
        new JsonObject(Numbers.Select(n => KeyValuePair.Create(n.Key, (JsonNode?)JsonValue.Create(n.Value)))).ToJsonString();

    /// <summary>Whether <paramref name="json"/> (an export's <c>front_end_geometry</c>) describes this geometry; null when it does, else what differs.</summary>
    internal static string? Difference(string json)
    {
        Dictionary<string, double>? given;
        try
        {
            using var document = JsonDocument.Parse(json);
            given = document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble());
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return "not a JSON object of numbers";
        }
        var differences = Numbers.Where(n => !given.TryGetValue(n.Key, out var value) || value != n.Value)
            .Select(n => given.TryGetValue(n.Key, out var value)
                ? string.Create(CultureInfo.InvariantCulture, $"{n.Key} {value}, expected {n.Value}")
                : $"{n.Key} missing")
            .ToList();
        return differences.Count == 0 ? null : string.Join(", ", differences);
    }

    private static IEnumerable<KeyValuePair<string, double>> Numbers =>
    [
        new("sample_rate", SampleRate),
        new("input_scale", InputScale),
        new("frame_samples", FrameSamples),
        new("window_samples", WindowSamples),
        new("hop_samples", HopSamples),
        new("mel_bands", MelBands),
        new("block_frames", BlockFrames),
        new("block_samples", BlockSamples),
        new("step_samples", StepSamples),
        new("window_frames", WindowFrames),
        new("window_blocks", WindowBlocks),
        new("dimensions", Dimensions),
        new("clip_samples", ClipSamples),
        new("clip_pad_before", ClipPadBefore),
        new("clip_steps", ClipSteps),
        new("padded_clip_samples", PaddedClipSamples),
    ];
}
