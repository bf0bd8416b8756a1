using TfCrnn.Runtime.Onnx;
using TfCrnn.Runtime.SpeechEmbedding;

namespace TfCrnn.Runtime;

/// <summary>
/// A model exported by <c>tfcrnn export</c>, run by ONNX Runtime on the CPU: classify a clip, or recognise keywords
/// in a stream.
/// <code>
/// using var model = ExportedModel.Load("model-onnx");
/// var best = model.Classify(samples)[0];                 // samples: mono floats in [-1, 1] at 16 kHz
/// var recognizer = model.CreateRecognizer();
/// recognizer.Detected += (_, d) => Console.WriteLine($"{d.Word} {d.Score:0.00}");
/// recognizer.Push(chunk);                                  // chunks of any size, as they arrive
/// </code>
/// A model over the speech embedding (its metadata names the <c>speech-embedding</c> front end) runs the same way:
/// its folder also holds the encoder's two files, checked against the SHA-256 its metadata records, and the log-mel
/// is computed in C# (<see cref="SpeechEmbeddingStepModel"/>).
/// </summary>
public sealed class ExportedModel : IDisposable
{
    private readonly string directory;
    private readonly int threads;
    private readonly bool overEmbedding;
    private OnnxClipModel? clip;
    private SpeechEmbeddingEncoder? encoder;

    private ExportedModel(string directory, int threads, IStepModel step, bool overEmbedding)
    {
        this.directory = directory;
        this.threads = threads;
        this.overEmbedding = overEmbedding;
        Step = step;
    }

    /// <summary>Opens the folder's step graph now (with the front end's files, for a model over one) and its clip graph when first needed.</summary>
    /// <param name="directory">A folder holding <see cref="OnnxMetadata.StepFile"/> and <see cref="OnnxMetadata.ClipFile"/>.</param>
    /// <param name="threads">ONNX Runtime intra-op threads; 0 lets it choose (one per core).</param>
    /// <exception cref="TfCrnnException">Missing or invalid files.</exception>
    public static ExportedModel Load(string directory, int threads = 1)
    {
        if (!Directory.Exists(directory))
            throw new TfCrnnException($"{directory}: no such folder (tfcrnn export --checkpoint RUN --out FOLDER writes one)");
        var step = OpenStep(directory, threads);
        return new ExportedModel(directory, threads, step, overEmbedding: step is SpeechEmbeddingStepModel);
    }

    /// <summary>
    /// The streaming step of an export folder: its step graph (<see cref="OnnxStepModel"/>), or for a model over the
    /// speech embedding the front end chained to it, after the folder's encoder files are checked (<see cref="SpeechEmbeddingStepModel"/>).
    /// </summary>
    /// <exception cref="TfCrnnException">Missing or invalid files, or a front end this runtime does not know.</exception>
    internal static IStepModel OpenStep(string directory, int threads)
    {
        var path = Path.Combine(directory, OnnxMetadata.StepFile);
        var session = OnnxSessions.Open(path, threads);
        switch (OnnxSessions.FrontEnd(session))
        {
            case null:
                return OnnxSessions.Own(session, s => OnnxStepModel.FromSession(s, path));
            case SpeechEmbeddingGeometry.FrontEndName:
                OnnxSessions.Own(session, s =>
                {
                    SpeechEmbeddingExport.Check(s.ModelMetadata.CustomMetadataMap, directory, path);
                    return s;
                });
                return SpeechEmbeddingExport.OpenStep(session, path, Path.Combine(directory, SpeechEmbeddingEncoder.EmbeddingFile), threads);
            case var other:
                session.Dispose();
                throw new TfCrnnException($"{path}: a model over the '{other}' front end, which this runtime does not know (it runs {SpeechEmbeddingGeometry.FrontEndName} and waveform models)");
        }
    }

    /// <summary>Whether <paramref name="directory"/> looks like an exported model folder.</summary>
    public static bool IsExportedFolder(string directory) =>
        File.Exists(Path.Combine(directory, OnnxMetadata.StepFile)) && File.Exists(Path.Combine(directory, OnnxMetadata.ClipFile));

    /// <summary>Labels, sample rate, framing and state size.</summary>
    public StepModelInfo Info => Step.Info;

    /// <summary>
    /// The streaming step: the engine of <see cref="CreateRecognizer"/>. The step graph (<see cref="OnnxStepModel"/>),
    /// or for a model over the speech embedding the front end chained to it (<see cref="SpeechEmbeddingStepModel"/>).
    /// </summary>
    public IStepModel Step { get; }

    /// <summary>The whole-clip graph.</summary>
    public OnnxClipModel Clip => clip ??= OnnxClipModel.Load(Path.Combine(directory, OnnxMetadata.ClipFile), threads);

    /// <summary>Every class of a clip's last step, most probable first.</summary>
    /// <param name="samples">Mono samples in [-1, 1] at <see cref="StepModelInfo.SampleRate"/>; centred and padded or cut to one clip.</param>
    public IReadOnlyList<WordProbability> Classify(ReadOnlySpan<float> samples)
    {
        var last = StepProbabilities(samples)[^1];
        return [.. last.Select((p, i) => new WordProbability(Info.Labels[i], p, i)).OrderByDescending(w => w.Probability)];
    }

    /// <summary>
    /// [step][class] probabilities of one clip (one step for the CNN), prepared as the model was trained: centred in
    /// one second; for a model over the speech embedding, then padded with silence (<see cref="SpeechEmbeddingGeometry"/>).
    /// </summary>
    public float[][] StepProbabilities(ReadOnlySpan<float> samples)
    {
        float[] input;
        if (overEmbedding)
        {
            var second = new float[SpeechEmbeddingGeometry.ClipSamples];
            ClipInput.Prepare(samples, second, 1f);
            input = (encoder ??= SpeechEmbeddingEncoder.Open(directory, threads)).EmbedClip(second);
        }
        else
        {
            input = new float[Info.ClipSamples];
            ClipInput.Prepare(samples, input, Info.InputScale);
        }
        var logits = Clip.Logits(input, batch: 1);
        var classes = Info.Labels.Count;
        return [.. Enumerable.Range(0, Clip.Steps).Select(s => PosteriorSmoother.Softmax(logits.AsSpan(s * classes, classes)))];
    }

    /// <summary>A streaming recognizer on this model (options: state policy, smoothing, threshold, refractory time).</summary>
    public StreamingRecognizer CreateRecognizer(RecognizerOptions? options = null) => new(Step, options);

    public void Dispose()
    {
        clip?.Dispose();
        encoder?.Dispose();
        Step.Dispose();
    }
}
