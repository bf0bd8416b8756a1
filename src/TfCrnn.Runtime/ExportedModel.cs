using TfCrnn.Runtime.Onnx;

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
/// </summary>
public sealed class ExportedModel : IDisposable
{
    private readonly string directory;
    private readonly int threads;
    private OnnxClipModel? clip;

    private ExportedModel(string directory, int threads, OnnxStepModel step)
    {
        this.directory = directory;
        this.threads = threads;
        Step = step;
    }

    /// <summary>Opens the folder's step graph now and its clip graph when first needed.</summary>
    /// <param name="directory">A folder holding <see cref="OnnxMetadata.StepFile"/> and <see cref="OnnxMetadata.ClipFile"/>.</param>
    /// <param name="threads">ONNX Runtime intra-op threads; 0 lets it choose (one per core).</param>
    /// <exception cref="TfCrnnException">Missing or invalid files.</exception>
    public static ExportedModel Load(string directory, int threads = 1)
    {
        if (!Directory.Exists(directory))
            throw new TfCrnnException($"{directory}: no such folder (tfcrnn export --checkpoint RUN --out FOLDER writes one)");
        return new ExportedModel(directory, threads, OnnxStepModel.Load(Path.Combine(directory, OnnxMetadata.StepFile), threads));
    }

    /// <summary>Whether <paramref name="directory"/> looks like an exported model folder.</summary>
    public static bool IsExportedFolder(string directory) =>
        File.Exists(Path.Combine(directory, OnnxMetadata.StepFile)) && File.Exists(Path.Combine(directory, OnnxMetadata.ClipFile));

    /// <summary>Labels, sample rate, framing and state size.</summary>
    public StepModelInfo Info => Step.Info;

    /// <summary>The step graph: the engine of <see cref="CreateRecognizer"/>.</summary>
    public OnnxStepModel Step { get; }

    /// <summary>The whole-clip graph.</summary>
    public OnnxClipModel Clip => clip ??= OnnxClipModel.Load(Path.Combine(directory, OnnxMetadata.ClipFile), threads);

    /// <summary>Every class of a clip's last step, most probable first.</summary>
    /// <param name="samples">Mono samples in [-1, 1] at <see cref="StepModelInfo.SampleRate"/>; centred and padded or cut to one clip.</param>
    public IReadOnlyList<WordProbability> Classify(ReadOnlySpan<float> samples)
    {
        var last = StepProbabilities(samples)[^1];
        return [.. last.Select((p, i) => new WordProbability(Info.Labels[i], p, i)).OrderByDescending(w => w.Probability)];
    }

    /// <summary>[step][class] probabilities of one clip (one step for the CNN).</summary>
    public float[][] StepProbabilities(ReadOnlySpan<float> samples)
    {
        var input = new float[Info.ClipSamples];
        ClipInput.Prepare(samples, input, Info.InputScale);
        var logits = Clip.Logits(input, batch: 1);
        var classes = Info.Labels.Count;
        return [.. Enumerable.Range(0, Clip.Steps).Select(s => PosteriorSmoother.Softmax(logits.AsSpan(s * classes, classes)))];
    }

    /// <summary>A streaming recognizer on this model (options: state policy, smoothing, threshold, refractory time).</summary>
    public StreamingRecognizer CreateRecognizer(RecognizerOptions? options = null) => new(Step, options);

    public void Dispose()
    {
        clip?.Dispose();
        Step.Dispose();
    }
}
