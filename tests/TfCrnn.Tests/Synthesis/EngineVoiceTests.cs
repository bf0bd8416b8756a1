using System.Text.RegularExpressions;
using TfCrnn.Audio;
using TfCrnn.Data;
using TfCrnn.Synthesis;
using TfCrnn.Tests.Support;

namespace TfCrnn.Tests.Synthesis;

public class EngineVoiceTests
{
    [Fact]
    public void EngineVoicesTakeTheirPitchVariantsAndNamedOnesMustBeInstalled()
    {
        const string noMbrola = "/nonexistent-mbrola";
        Assert.Equal(["pico-en-us", "pico-en-gb", "rhvoice-bdl", "rhvoice-clb"],
            VoiceCatalog.EngineVoices.Select(v => v.Voice));
        // Named only (--voices): not among the defaults until their effect on training is measured.
        Assert.DoesNotContain(VoiceCatalog.InstalledVoices(noMbrola), v => VoiceCatalog.EngineOf(v) is not null);

        // Each voice takes its own engine's variants from the list given.
        var configurations = VoiceCatalog.Configurations(["pico-en-gb", "rhvoice-clb", "en-us"], ["m1", "pitch-90", "f2", "pitch-135"], noMbrola, _ => true);
        Assert.Equal(["pico-en-gb+pitch-90", "pico-en-gb+pitch-135", "rhvoice-clb+pitch-90", "rhvoice-clb+pitch-135", "en-us+m1", "en-us+f2"],
            configurations.Select(c => c.Name));
        Assert.Equal(2 * EngineVoice.PitchVariants.Count, VoiceCatalog.Configurations(["pico-en-us", "rhvoice-bdl"], null, noMbrola, _ => true).Count);
        Assert.Equal(90, EngineVoice.BasePitch("pitch-90"));

        string Error(IReadOnlyList<string> voices, IReadOnlyList<string>? variants, bool installed) =>
            Assert.Throws<TfCrnnException>(() => VoiceCatalog.Configurations(voices, variants, noMbrola, _ => installed)).Message;
        Assert.Equal("voice 'rhvoice-clb' is spoken by RHVoice, which is not installed (RHVoice-test and /usr/share/RHVoice/voices/clb): install the " +
            "Debian packages rhvoice and rhvoice-english (non-free; scripts/install-deps.sh does it)", Error(["en", "rhvoice-clb"], null, installed: false));
        Assert.StartsWith("voice 'pico-en-us' has none of the variants given; its variants: pitch-70, pitch-80,", Error(["pico-en-us"], ["m1"], installed: true));
        Assert.StartsWith("voice 'en' has none of the variants given; its variants: m1, m2,", Error(["en", "pico-en-us"], ["pitch-80"], installed: true));
        Assert.StartsWith("unknown variant 'pitch-95'", Error(["pico-en-us"], ["pitch-95"], installed: true));
    }

    [Fact]
    public void AVoiceIsDrawnBeforeItsVariantSoFewVariantsAreStillHeard()
    {
        // One voice with 98 configurations and one with 2: each voice speaks about half the clips.
        var pool = VoiceCatalog.Configurations(["en-us", "pico-en-us"], [.. VoiceCatalog.Variants, "pitch-80", "pitch-120"], "/nonexistent-mbrola", _ => true);
        var random = new Random(5);
        var pico = Enumerable.Range(0, 2000).Count(_ => VoiceCatalog.Draw(pool, random).Voice == "pico-en-us");
        Assert.InRange(pico, 900, 1100);
    }

    [Fact]
    public void InstallDepsInstallsTheEnginesOfTheCatalogue()
    {
        var script = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "scripts", "install-deps.sh"));
        var packages = Regex.Matches(script, @"engines\+=\(([^)]*)\)").Select(m => m.Groups[1].Value);
        Assert.Equal(VoiceCatalog.EngineVoices.SelectMany(v => v.Packages.Split(" and ")).Distinct(), packages);
    }

    [SkippableTheory]
    [InlineData("pico-en-us")]
    [InlineData("pico-en-gb")]
    [InlineData("rhvoice-clb")]
    [InlineData("rhvoice-bdl")]
    public async Task AnInstalledEngineVoiceSpeaksAWordAt16kHzMono(string name)
    {
        var voice = VoiceCatalog.EngineOf(name)!;
        Skip.IfNot(voice.IsInstalled(), $"{voice.EngineTitle} voice {name} is not installed ({voice.Packages})");
        using var folder = new TempDirectory("synth-engine");
        var result = await DatasetSynthesizer.RunAsync(new SynthesisOptions
        {
            OutputDirectory = folder.Path,
            ClipsPerWord = 4,
            Words = ["seven"],
            NonKeywordWords = 0,
            BackgroundNoiseSeconds = 0,
            Voices = [name],
            Variants = ["pitch-80", "pitch-100", "pitch-120"],
            Noise = 0,
        });
        Assert.Equal((4, 3), (result.Clips, result.Speakers));
        var voices = DatasetSynthesizerTests.VoiceRows(folder.Path);
        Assert.All(voices.Values, row => Assert.Equal(name, row[0]));
        foreach (var clip in Directory.GetFiles(folder.Path, "*.wav", SearchOption.AllDirectories))
        {
            var audio = WavFile.Read(clip);
            Assert.Equal((SpeechCommandsDataset.SampleRate, 1, Preprocessing.ClipSamples), (audio.SampleRate, audio.ChannelCount, audio.Channels[0].Length));
            // A word, not a click or silence: 0.15 s to 1 s of speech found by the energy rule.
            var (start, end) = SpeechBounds.Find(audio.Channels[0]) ?? throw new Xunit.Sdk.XunitException($"{clip} is silent");
            Assert.InRange(end - start, 2400, 16000);
        }
    }

    [SkippableTheory]
    [InlineData("pico-en-us")]
    [InlineData("rhvoice-clb")]
    public async Task TheDeliverySetsTheEnginesRate(string name)
    {
        var voice = VoiceCatalog.EngineOf(name)!;
        Skip.IfNot(voice.IsInstalled(), $"{voice.EngineTitle} voice {name} is not installed ({voice.Packages})");
        var normal = new Delivery(Speed: 175, Pitch: 50, WordGap: 0, RatePercent: 100, PitchPercent: 0, RangePercent: 100, Ending: "", PeakDb: -3);
        var slow = await voice.SpeakAsync("pitch-100", normal with { RatePercent = 50 }, "forward", default);
        var usual = await voice.SpeakAsync("pitch-100", normal, "forward", default);
        var fast = await voice.SpeakAsync("pitch-100", normal with { Speed = 350 }, "forward", default);
        double Length(float[] speech) => VoiceSpeaker.Trim(speech).Length;
        Assert.InRange(Length(slow) / Length(usual), 1.5, 2.5);
        Assert.InRange(Length(usual) / Length(fast), 1.5, 2.5);
    }
}
