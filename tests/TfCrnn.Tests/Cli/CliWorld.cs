using TfCrnn.Audio;
using TfCrnn.Tests.Support;

namespace TfCrnn.Tests.Cli;

/// <summary>
/// What the CLI tests share, made once per test process through the CLI itself: a tone dataset, a TF-CRNN and a
/// CRNN trained by <c>tfcrnn train</c> (width 8, one epoch), the TF-CRNN exported by <c>tfcrnn export</c>, and odd
/// WAV files for <c>predict</c>. Test classes that
/// use it may run in parallel: nothing here is changed after it is built.
/// </summary>
internal sealed class CliWorld
{
    private static readonly Lazy<Task<CliWorld>> Instance = new(BuildAsync);

    private CliWorld(string root, ToneDataset data)
    {
        Root = root;
        Dataset = data;
    }

    public static Task<CliWorld> GetAsync() => Instance.Value;

    /// <summary>Temporary folder of everything below; deleted when the test process ends.</summary>
    public string Root { get; }

    internal ToneDataset Dataset { get; }

    public string Data => Dataset.Path;

    /// <summary>The TF-CRNN (tfcrnn-se) run folder and what its <c>tfcrnn train</c> printed.</summary>
    public string Candidate => Path.Combine(Root, "tfcrnn-se");

    public CliResult CandidateTraining { get; private set; } = null!;

    /// <summary>The TF-CRNN run exported by <c>tfcrnn export</c>.</summary>
    public string Exported => Path.Combine(Root, "tfcrnn-se-onnx");

    /// <summary>The CRNN (crnn-se) run folder.</summary>
    public string Baseline => Path.Combine(Root, "crnn-se");

    /// <summary>8 kHz stereo, 1.5 s: predict resamples, mixes down and cuts it.</summary>
    public string StereoWav => Path.Combine(Root, "stereo-8k.wav");

    /// <summary>A text file named .wav.</summary>
    public string NotAWav => Path.Combine(Root, "text.wav");

    /// <summary>A dataset folder whose test split is empty.</summary>
    public string NoTestClips => Path.Combine(Root, "no-test");

    /// <summary>Options that make every training run tiny: width 8, batches of 8, one epoch, one thread.</summary>
    public static readonly string[] TinyTraining = ["--width", "8", "--batch-size", "8", "--max-epochs", "1", "--threads", "1"];

    private static async Task<CliWorld> BuildAsync()
    {
        var root = Path.Combine(Path.GetTempPath(), $"tfcrnn-cli-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(root, recursive: true); }
            catch (IOException) { }
        };
        var world = new CliWorld(root, new ToneDataset(trainPerWord: 8, validPerWord: 2, testPerWord: 2));
        var candidate = CliRun.RunAsync(["train", "--data", world.Data, "--model", "tfcrnn-se", "--out", world.Candidate, "--seed", "1", .. TinyTraining]);
        var baseline = CliRun.RunAsync(["train", "--data", world.Data, "--model", "crnn-se", "--out", world.Baseline, "--seed", "1", .. TinyTraining]);
        world.CandidateTraining = await candidate;
        (await baseline).Succeeded();
        (await CliRun.RunAsync(["export", "--checkpoint", world.Candidate, "--out", world.Exported])).Succeeded();

        var random = new Random(3);
        var tone = ToneDataset.Tone(2, random).Concat(ToneDataset.Tone(2, random)).Take(24000).ToArray();
        var stereo = Enumerable.Range(0, 12000).Select(i => new[] { tone[2 * i], -tone[2 * i] }).ToArray();
        WriteStereo8k(world.StereoWav, stereo);
        File.WriteAllText(world.NotAWav, "not a wav file");

        Directory.CreateDirectory(Path.Combine(world.NoTestClips, "yes"));
        WavFile.WritePcm16(Path.Combine(world.NoTestClips, "yes", "00000001_nohash_0.wav"), ToneDataset.Tone(0, random), 16000);
        File.WriteAllText(Path.Combine(world.NoTestClips, "validation_list.txt"), "");
        File.WriteAllText(Path.Combine(world.NoTestClips, "testing_list.txt"), "");
        return world;
    }

    private static void WriteStereo8k(string path, float[][] frames)
    {
        var builder = new WavBuilder().Format(1, channels: 2, sampleRate: 8000, bits: 16)
            .Data([[.. frames.Select(f => f[0])], [.. frames.Select(f => f[1])]], bits: 16);
        File.WriteAllBytes(path, builder.Build());
    }
}
