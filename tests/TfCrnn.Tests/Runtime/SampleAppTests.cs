using System.Globalization;
using TfCrnn.Audio;
using TfCrnn.Runtime;
using TfCrnn.Tests.Support;

namespace TfCrnn.Tests.Runtime;

/// <summary>
/// <c>samples/TfCrnn.Sample</c> as the README builds it: against the packed TfCrnn.Runtime package (a local folder
/// feed), not the project; then run on a WAV file and on stdin.
/// </summary>
public sealed class SampleAppTests
{
    /// <summary>
    /// A raw-waveform model's export and a head's over the speech embedding (its folder holding the stand-in encoder),
    /// each run on a WAV file and on stdin.
    /// </summary>
    [Fact]
    public async Task TheSampleBuiltOnThePackedPackagePrintsTheDetectionsOfAWavAndOfStdin()
    {
        using var folders = OnnxEngineTests.ModelFolders.Create("crnn-basic");
        using var work = new TempDirectory("sample");
        var embeddingExport = work.Combine("embedding-export");
        TfCrnn.Tests.Interop.EmbeddingExportTests.SaveAndExport(work.Combine("embedding-model"), embeddingExport);
        var root = TestPaths.RepositoryRoot;
        // A version of its own, so that no package cached under the same version by an earlier pack is used.
        var version = $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmssfff}";
        var package = Path.Combine(root, "artifacts", "packages", $"TfCrnn.Runtime.{version}.nupkg");
        try
        {
            // The tests were built with the runtime in their own configuration: pack that build.
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
            await Succeed("dotnet", "pack", Path.Combine(root, "src", "TfCrnn.Runtime"), "-c", configuration, "--no-build", "-nologo",
                "-o", Path.Combine(root, "artifacts", "packages"), $"-p:Version={version}");
            await Succeed("dotnet", "build", Path.Combine(root, "samples", "TfCrnn.Sample"), "-c", "Release", "-nologo", "-v", "q",
                $"-p:TfCrnnRuntimeVersion={version}", "-o", work.Combine("bin"));
            var assets = File.ReadAllText(Path.Combine(root, "samples", "TfCrnn.Sample", "obj", "project.assets.json"));
            Assert.Contains($"\"TfCrnn.Runtime/{version}\"", assets);
            Assert.DoesNotContain("\"type\": \"project\"", assets);

            var wav = work.Combine("words.wav");
            var audio = Words();
            WavFile.WritePcm16(wav, audio, 16000);
            var sample = work.Combine("bin", "TfCrnn.Sample.dll");
            // Threshold 0 and the model's refractory time from the export's metadata: a detection a second from the first
            // step for the CRNN (1 s), every 1.5 s for the head over the speech embedding (3 s of audio: 2).
            foreach (var (exported, detections) in new[] { (folders.Exported, 3), (embeddingExport, 2) })
            {
                var fromFile = await Succeed("dotnet", sample, "--threshold", "0", exported, wav);
                var fromStdin = await ChildProcess.RunAsync("dotnet", [sample, "--threshold", "0", exported, "-"], stdin: File.ReadAllBytes(wav));

                var expected = Expected(exported, audio);
                Assert.Equal(detections, expected.Count);
                Assert.Equal(expected, Lines(fromFile));
                Assert.Equal(0, fromStdin.ExitCode);
                Assert.Equal(expected, Lines(fromStdin.Stdout));
            }

            var missing = await ChildProcess.RunAsync("dotnet", [sample, work.Combine("no-model"), wav]);
            Assert.Equal(2, missing.ExitCode);
            Assert.StartsWith("error: ", missing.Stderr);
        }
        finally
        {
            File.Delete(package);
        }
    }

    /// <summary>What the recognizer says in-process, formatted as the sample prints it.</summary>
    private static List<string> Expected(string exported, float[] audio)
    {
        using var model = ExportedModel.Load(exported);
        var recognizer = model.CreateRecognizer(new RecognizerOptions { Threshold = 0 });
        return [.. recognizer.Push(audio).Select(d => string.Create(CultureInfo.InvariantCulture, $"{d.End,8:0.00} s  {d.Word,-10} {d.Score:0.00}"))];
    }

    private static float[] Words()
    {
        var random = new Random(9);
        var audio = new float[3 * 16000];
        for (var s = 0; s < 3; s++)
        {
            var tone = ToneDataset.Tone(s, random);
            Array.Copy(tone, 0, audio, s * 16000, Math.Min(tone.Length, 16000));
        }
        return audio;
    }

    private static List<string> Lines(string text) => [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r'))];

    private static async Task<string> Succeed(params string[] command)
    {
        var result = await ChildProcess.RunAsync(command[0], command[1..]);
        Assert.True(result.ExitCode == 0, $"{string.Join(' ', command)}: exit {result.ExitCode}\n{result.Stdout}\n{result.Stderr}");
        return result.Stdout;
    }
}
