using System.Text.RegularExpressions;
using TfCrnn.Audio;
using TfCrnn.Synthesis;
using TfCrnn.Tests.Support;

namespace TfCrnn.Tests.Synthesis;

public class MbrolaVoiceTests
{
    [Fact]
    public async Task TheCatalogueHasEveryEnglishMbrolaVoiceOfTheInstalledEspeak()
    {
        // "  5  en-us           --/F      us-mbrola-1        mb/mb-us1            (en 8)": the voice files ship with
        // espeak-ng, with or without the databases.
        var listing = await EspeakNg.TextAsync("espeak-ng", ["--voices=mb"], default);
        var english = listing.Split('\n').Skip(1).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length >= 5 && Regex.IsMatch(f[1], "^en(-us|-uk)?$")).Select(f => f[4].Replace("mb/", "", StringComparison.Ordinal));
        Assert.Equal(english.Order(StringComparer.Ordinal), VoiceCatalog.MbrolaVoices.Select(v => v.Voice).Order(StringComparer.Ordinal));
        // mb-de1-en speaks through de1, mb-us1 through us1.
        Assert.All(VoiceCatalog.MbrolaVoices, v => Assert.StartsWith($"mb-{v.Database}", v.Voice, StringComparison.Ordinal));
    }

    [Fact]
    public void OnlyInstalledDatabasesAreDefaultVoicesAndAMissingOneIsNamed()
    {
        using var root = new TempDirectory("mbrola");
        var espeakOnly = VoiceCatalog.EspeakVoices;
        Assert.Equal(VoiceCatalog.Voices.Where(v => VoiceCatalog.MbrolaOf(v) is null && VoiceCatalog.EngineOf(v) is null), espeakOnly);
        Assert.Equal(8 + 13, espeakOnly.Count);
        Assert.Equal(espeakOnly, VoiceCatalog.InstalledVoices(root.Path));

        // Debian's layout (us1/us1) and a database file straight in the root.
        Directory.CreateDirectory(root.Combine("us1"));
        File.WriteAllText(root.Combine("us1", "us1"), "");
        File.WriteAllText(root.Combine("de2"), "");
        var installed = VoiceCatalog.InstalledVoices(root.Path);
        Assert.Equal(["mb-us1", "mb-de2-en"], installed.Where(v => VoiceCatalog.MbrolaOf(v) is not null));
        Assert.Equal(espeakOnly.Count + 2, installed.Count);
        Assert.Equal(installed.Count * VoiceCatalog.Variants.Count, VoiceCatalog.Configurations(null, null, root.Path, _ => false).Count);
        Assert.Equal(2, VoiceCatalog.Configurations(["mb-us1"], ["m1", "f2"], root.Path, _ => false).Count);

        var error = Assert.Throws<TfCrnnException>(() => VoiceCatalog.Configurations(["en", "mb-us2"], null, root.Path, _ => false));
        Assert.Equal($"espeak-ng voice 'mb-us2' speaks through the MBROLA database us2, which is not installed in {root.Path}: install the " +
            "Debian packages mbrola and mbrola-us2 (contrib and non-free; scripts/install-deps.sh does it)", error.Message);
    }

    [Fact]
    public void InstallDepsInstallsEveryDatabaseOfTheCatalogue()
    {
        var script = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "scripts", "install-deps.sh"));
        var listed = Regex.Match(script, @"mbrola_databases=\(([^)]*)\)").Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(VoiceCatalog.MbrolaVoices.Select(v => v.Database), listed);
    }

    [SkippableFact]
    public async Task AnInstalledMbrolaVoiceSpeaksTheWordsItIsGiven()
    {
        var voice = VoiceCatalog.MbrolaVoices[0];
        Skip.IfNot(voice.IsInstalledIn(MbrolaVoice.DefaultRoot), $"the MBROLA database {voice.Database} is not installed");
        using var folder = new TempDirectory("synth-mbrola");
        var result = await DatasetSynthesizer.RunAsync(new SynthesisOptions
        {
            OutputDirectory = folder.Path,
            ClipsPerWord = 6,
            Words = ["yes", "seven"],
            NonKeywordWords = 0,
            BackgroundNoiseSeconds = 0,
            Voices = [voice.Voice, "en-us"],
            Variants = ["m1", "m2", "f1", "f2", "m3"],
            Noise = 0,
        });
        Assert.Equal(12, result.Clips);
        var voices = DatasetSynthesizerTests.VoiceRows(folder.Path);
        var clips = Directory.GetFiles(folder.Path, "*.wav", SearchOption.AllDirectories)
            .Where(f => voices[DatasetSynthesizerTests.SpeakerOf(f)][0] == voice.Voice).ToList();
        Assert.NotEmpty(clips);
        foreach (var clip in clips)
        {
            var samples = WavFile.Read(clip).Channels[0];
            var peak = samples.Max(Math.Abs);
            Assert.True(peak > 0.05f, $"{clip} is silent");
            // A word of speech, not a click: at least 0.1 s from the first to the last sample above 2 % of the peak (us1's
            // "yes" at the fastest deliveries lasts 0.11 s).
            var loud = samples.Select((s, i) => (s, i)).Where(p => Math.Abs(p.s) > 0.02f * peak).Select(p => p.i).ToList();
            Assert.InRange(loud[^1] - loud[0], 1600, 16000);
        }
    }
}
