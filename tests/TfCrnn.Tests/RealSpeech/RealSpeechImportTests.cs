using TfCrnn.Audio;
using TfCrnn.Data;
using TfCrnn.RealSpeech;
using TfCrnn.Tests.Cli;
using TfCrnn.Tests.Support;

namespace TfCrnn.Tests.RealSpeech;

/// <summary><see cref="RealSpeechImport"/>: only training speakers of Speech Commands, a provenance row for every clip.</summary>
public sealed class RealSpeechImportTests
{
    private static RealImportOptions Options(string from, string output, string layout) => new()
    {
        SourceDirectory = from,
        OutputDirectory = output,
        Layout = layout,
        SourceName = "test/source",
        Licence = "CC-BY-4.0",
        Commit = "0123abcd",
    };

    private static void Write(string root, string relativePath, int samples = 16000, int rate = 16000) =>
        WavFile.WritePcm16(Path.Combine(root, relativePath), Enumerable.Range(0, samples).Select(i => 0.1f * MathF.Sin(i * 0.05f)).ToArray(), rate);

    private static string[] Clips(string root) =>
        [.. Directory.GetFiles(root, "*.wav", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f).Replace('\\', '/')).Order(StringComparer.Ordinal)];

    [Fact]
    public void SpeechCommandsClipsOfValidationAndTestSpeakersAreRefused()
    {
        using var folder = new TempDirectory("real-hash");
        var from = folder.Combine("source");
        // Speakers' splits from SplitRuleTests (Python's hashlib): 0a7c2a8d, daa66d13 train; a1b2c3d4, 0ab3b47d
        // validation; be1e0823 test. The flat names hash to train when the word is not cut off first
        // ("no_a1b2c3d4" 48.4, "up_be1e0823" 59.6): the speaker alone must be hashed.
        Write(from, "yes/0a7c2a8d_nohash_0.wav");
        Write(from, "yes/0ab3b47d_nohash_0.wav");
        Write(from, "yes/be1e0823_nohash_1.wav");
        Write(from, "flat/up_daa66d13_nohash_0.wav");
        Write(from, "flat/no_a1b2c3d4_nohash_0.wav");
        Write(from, "flat/up_be1e0823_nohash_0.wav");

        var report = RealSpeechImport.Run(Options(from, folder.Combine("out"), "speech-commands"));

        Assert.Equal((2, 2, 2, 0), (report.Imported, report.RefusedValidation, report.RefusedTest, report.Unnamed));
        Assert.Equal(["up/daa66d13_nohash_0.wav", "yes/0a7c2a8d_nohash_0.wav"], Clips(folder.Combine("out")));
        Assert.All(Clips(folder.Combine("out")), c => Assert.Equal(Split.Train, SplitRule.Of(c)));
    }

    [Theory]
    [InlineData("0a7c2a8d", Split.Train)]
    [InlineData("a1b2c3d4", Split.Valid)]
    [InlineData("0ab3b47d", Split.Valid)]
    [InlineData("be1e0823", Split.Test)]
    [InlineData("6526afd1", Split.Test)]
    public void ASpeakersSplitIsTheHashRules(string speaker, Split split) =>
        Assert.Equal(split, RealSpeechImport.SpeakerSplit(speaker));

    [Fact]
    public void EveryImportedClipGetsAProvenanceRowAndLaterImportsAddTheirs()
    {
        using var folder = new TempDirectory("real-provenance");
        var fsdd = folder.Combine("fsdd");
        Write(fsdd, "7_jackson_32.wav", samples: 4000, rate: 8000);
        Write(fsdd, "0_theo_1.wav", samples: 12000, rate: 8000);
        Write(fsdd, "notes.wav");
        var speechCommands = folder.Combine("sc");
        Write(speechCommands, "bed/daa66d13_nohash_0.wav");
        var output = folder.Combine("out");

        var first = RealSpeechImport.Run(Options(fsdd, output, "fsdd") with { SourceName = "Jakobovski/free-spoken-digit-dataset", Licence = "CC-BY-SA-4.0" });
        var second = RealSpeechImport.Run(Options(speechCommands, output, "speech-commands"));

        Assert.Equal((2, 1, 1), (first.Imported, first.Unnamed, second.Imported));
        Assert.Contains("notes.wav", Assert.Single(first.Warnings));
        var rows = ProvenanceFile.Read(output);
        Assert.Equal(Clips(output), rows.Select(r => r.Clip));
        Assert.Equal(new ProvenanceRow("seven/fsdd-jackson_nohash_32.wav", "Jakobovski/free-spoken-digit-dataset", "7_jackson_32.wav",
            "jackson", "seven", "CC-BY-SA-4.0", "0123abcd", 8000), rows.Single(r => r.Speaker == "jackson"));
        Assert.Equal(new ProvenanceRow("bed/daa66d13_nohash_0.wav", "test/source", "bed/daa66d13_nohash_0.wav",
            "daa66d13", "bed", "CC-BY-4.0", "0123abcd", 16000), rows.Single(r => r.Word == "bed"));
        foreach (var clip in Clips(output))
        {
            var audio = WavFile.Read(Path.Combine(output, clip));
            Assert.Equal((16000, 1, 16000), (audio.SampleRate, audio.ChannelCount, audio.Length));
        }

        RealSpeechImport.Run(Options(fsdd, output, "fsdd") with { Speakers = ["theo"], Licence = "changed" });
        Assert.Equal(["CC-BY-4.0", "CC-BY-SA-4.0", "changed"], ProvenanceFile.Read(output).Select(r => r.Licence));
    }

    [Fact]
    public void MaxPerWordLetsTheSpeakersTakeTurns()
    {
        using var folder = new TempDirectory("real-turns");
        var from = folder.Combine("fsdd");
        foreach (var name in new[] { "3_ann_0", "3_ann_1", "3_ann_2", "3_bob_0", "3_bob_1", "4_ann_0" })
            Write(from, name + ".wav", samples: 800, rate: 8000);

        var report = RealSpeechImport.Run(Options(from, folder.Combine("out"), "fsdd") with { MaxPerWord = 3, ExcludeSpeakers = ["nobody"] });

        Assert.Equal((4, 2), (report.Imported, report.LeftOut));
        Assert.Equal(["four/fsdd-ann_nohash_0.wav", "three/fsdd-ann_nohash_0.wav", "three/fsdd-ann_nohash_1.wav", "three/fsdd-bob_nohash_0.wav"],
            Clips(folder.Combine("out")));
    }

    [Fact]
    public void ALongRecordingKeepsTheSecondAroundItsSpeech()
    {
        var samples = new float[32000];
        for (var i = 27000; i < 29000; i++) samples[i] = 0.5f * MathF.Sin(i * 0.3f);

        var clip = RealSpeechImport.OneSecond(samples);

        Assert.Equal(16000, clip.Length);
        Assert.Equal(samples.Sum(MathF.Abs), clip.Sum(MathF.Abs), 3);
    }

    [Fact]
    public async Task DataImportRealReportsWhatItKeptAndRefusedAsJson()
    {
        using var folder = new TempDirectory("real-cli");
        Write(folder.Combine("source"), "yes/0a7c2a8d_nohash_0.wav");
        Write(folder.Combine("source"), "yes/0ab3b47d_nohash_0.wav");
        Write(folder.Combine("source"), "no_be1e0823_nohash_0.wav");
        var output = folder.Combine("out");

        var json = (await CliRun.RunAsync(["data", "import-real", "--from", folder.Combine("source"), "--layout", "speech-commands",
            "--source", "s", "--licence", "CC-BY-4.0", "--commit", "abc", "--out", output, "--json"])).Succeeded().Json();

        Assert.Equal((1, 1, 1, 0, 0), ((int)json["imported"]!, (int)json["refused_validation"]!, (int)json["refused_test"]!,
            (int)json["unnamed"]!, (int)json["left_out"]!));
        Assert.Equal("0a7c2a8d", (string)json["speakers"]![0]!);
        Assert.Equal(Path.Combine(Path.GetFullPath(output), ProvenanceFile.Name), (string)json["provenance"]!);
        Assert.Equal(["yes/0a7c2a8d_nohash_0.wav"], ProvenanceFile.Read(output).Select(r => r.Clip));
    }

    [Fact]
    public void AWordsSourceNamesWordsByFolderAndSpeakersByFileOrByTheSpeakerOption()
    {
        using var folder = new TempDirectory("real-words");
        var from = folder.Combine("words");
        Write(from, "computer/0.wav", samples: 24000, rate: 16000);
        Write(from, "smart mirror/0.wav", samples: 4000, rate: 8000);
        Write(from, "Jarvis/17.wav");
        Write(from, "not-a word!/1.wav");
        var output = folder.Combine("out");

        var report = RealSpeechImport.Run(Options(from, output, "words") with { SourceName = "Picovoice/wake-word-benchmark" });

        Assert.Equal((3, 1), (report.Imported, report.Unnamed));
        Assert.Equal(["computer/wake-word-benchmark-0_nohash_0.wav", "jarvis/wake-word-benchmark-17_nohash_0.wav",
            "smart_mirror/wake-word-benchmark-0_nohash_0.wav"], Clips(output));
        Assert.Equal(new ProvenanceRow("smart_mirror/wake-word-benchmark-0_nohash_0.wav", "Picovoice/wake-word-benchmark", "smart mirror/0.wav",
            "0", "smart_mirror", "CC-BY-4.0", "0123abcd", 8000), ProvenanceFile.Read(output).Single(r => r.Word == "smart_mirror"));

        var one = folder.Combine("one");
        File.WriteAllBytes(Path.Combine(Directory.CreateDirectory(Path.Combine(one, "left")).FullName, "broken.wav"), [.. "RIFF\0\0\0\0WAVE"u8]);
        Write(one, "left/a.wav");
        Write(one, "left/b.wav");
        Write(one, "stop/c.wav");
        var single = RealSpeechImport.Run(Options(one, folder.Combine("out-one"), "words") with { Speaker = "felix" });

        Assert.Equal((3, 1), (single.Imported, single.Unreadable));
        Assert.Equal(["felix"], single.Speakers);
        Assert.Contains("left/broken.wav", Assert.Single(single.Warnings));
        Assert.Equal(Clips(folder.Combine("out-one")), ProvenanceFile.Read(folder.Combine("out-one")).Select(r => r.Clip));
        Assert.Equal(["left/felix_nohash_0.wav", "left/felix_nohash_1.wav", "stop/felix_nohash_0.wav"], Clips(folder.Combine("out-one")));
    }

    [Fact]
    public async Task ANoiseSourceIsCutIntoOneSecondSilenceClipsPerRecording()
    {
        using var folder = new TempDirectory("real-noise");
        var from = folder.Combine("noise");
        var tap = Enumerable.Range(0, 40000).Select(i => (i % 16000) / 16000f - 0.5f).ToArray();
        WavFile.WritePcm16(Path.Combine(Directory.CreateDirectory(from).FullName, "running_tap.wav"), tap, 16000);
        Write(from, "white_noise.wav", samples: 32000);
        Write(from, "short.wav", samples: 8000);
        var output = folder.Combine("out");

        var json = (await CliRun.RunAsync(["data", "import-real", "--from", from, "--layout", "noise", "--source", "s", "--licence", "CC-BY-4.0",
            "--exclude-speakers", "white_noise", "--out", output, "--json"])).Succeeded().Json();

        // 2.5 s give two whole seconds; a recording shorter than one second gives none; white_noise is left out.
        Assert.Equal((2, 1), ((int)json["imported"]!, (int)json["left_out"]!));
        Assert.Equal(["_silence_/running-tap_nohash_0.wav", "_silence_/running-tap_nohash_1.wav"], Clips(output));
        var second = WavFile.Read(Path.Combine(output, "_silence_/running-tap_nohash_1.wav")).MixDown();
        Assert.Equal(16000, second.Length);
        Assert.Equal(tap[16000..32000], second, (a, b) => MathF.Abs(a - b) < 1e-4f);
        Assert.Equal(new ProvenanceRow("_silence_/running-tap_nohash_1.wav", "s", "running_tap.wav#t=1,2", "running_tap", "_silence_",
            "CC-BY-4.0", "", 16000), ProvenanceFile.Read(output)[1]);

        var capped = RealSpeechImport.Run(Options(from, folder.Combine("capped"), "noise") with { MaxPerWord = 1 });
        Assert.Equal(["_silence_/running-tap_nohash_0.wav", "_silence_/white-noise_nohash_0.wav"], Clips(folder.Combine("capped")));
        Assert.Equal(2, capped.Imported);
    }

    [Theory]
    [InlineData("words", "a_b", "must be letters, digits and '-'")]
    [InlineData("fsdd", "felix", "only a words source")]
    public void ASpeakerOptionIsCheckedAgainstTheLayout(string layout, string speaker, string problem)
    {
        using var folder = new TempDirectory("real-speaker");
        Directory.CreateDirectory(folder.Combine("source"));

        var error = Assert.Throws<OptionException>(() => RealSpeechImport.Run(Options(folder.Combine("source"), folder.Combine("out"), layout) with { Speaker = speaker }));

        Assert.Equal("--speaker", error.Option);
        Assert.Contains(problem, error.Message);
    }
}
