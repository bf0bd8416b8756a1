using TfCrnn.Quickstart;
using TfCrnn.Synthesis;
using TfCrnn.Tests.Support;

namespace TfCrnn.Tests.Quickstart;

/// <summary>How the quickstart's options become its synthesis: held-out voices for the generalisation section.</summary>
public sealed class QuickstartOptionsTests
{
    [Fact]
    public void TheDefaultSynthesisHoldsVoicesOutIntoTheirOwnFolder()
    {
        var options = new QuickstartOptions { OutputDirectory = "/tmp/qs" }.Validate();
        var synthesis = QuickstartPipeline.Synthesis(options, "/tmp/qs", "/tmp/qs/data");

        // Validate() refuses hold-outs that match no voice configuration, so these name real espeak-ng voices and variants.
        synthesis.Validate();
        Assert.Equal(["en-gb-scotland", "ja"], synthesis.HoldOutVoices);
        Assert.Equal(["klatt3", "whisperf"], synthesis.HoldOutVariants);
        Assert.Equal("/tmp/qs/data-heldout", synthesis.HeldOutOutputDirectory);
        Assert.Equal(SynthesisOptions.DefaultClipsPerWord, synthesis.ClipsPerWord);
        Assert.Equal(10, synthesis.HeldOutClipsPerWord);
        // Every installed voice: the MBROLA ones too where their databases are installed.
        Assert.Null(synthesis.Voices);
        Assert.Equal(VoiceCatalog.InstalledVoices(), VoiceCatalog.Configurations(synthesis.Voices, synthesis.Variants).Select(c => c.Voice).Distinct());
    }

    [Fact]
    public void ChosenVoicesReachTheSynthesisAndUnknownOnesAreRefused()
    {
        var options = new QuickstartOptions { OutputDirectory = "/tmp/qs", Voices = ["en-us", "en-gb-scotland"] }.Validate();
        Assert.Equal(["en-us", "en-gb-scotland"], QuickstartPipeline.Synthesis(options, "/tmp/qs", "/tmp/qs/data").Voices);
        var error = Assert.Throws<TfCrnnException>(() => (options with { Voices = ["en-xx"] }).Validate());
        Assert.StartsWith("unknown voice 'en-xx'", error.Message);
    }

    [Fact]
    public void WithoutHeldOutVoicesTheSynthesisWritesOneDataset()
    {
        var options = new QuickstartOptions { OutputDirectory = "/tmp/qs", HoldOutVoices = [], HoldOutVariants = [], ClipsPerWord = 3 }.Validate();
        var synthesis = QuickstartPipeline.Synthesis(options, "/tmp/qs", "/tmp/qs/data").Validate();
        Assert.Null(synthesis.HeldOutOutputDirectory);
        Assert.Equal(1, synthesis.HeldOutClipsPerWord);
    }

    [Fact]
    public void AMissingHeldOutDatasetIsRefusedBeforeAnyWork()
    {
        var error = Assert.Throws<OptionException>(() => new QuickstartOptions { OutputDirectory = "/tmp/qs", HeldOutData = ["/nonexistent/engines"] }.Validate());
        Assert.Equal("--heldout /nonexistent/engines does not exist", error.Message);
    }

    [Fact]
    public void ARealSetMustBeAFolderThatExists()
    {
        using var folder = new TempDirectory("qs-real");
        var file = folder.Combine("clip.wav");
        File.WriteAllText(file, "");
        Assert.Equal([folder.Path], new QuickstartOptions { OutputDirectory = "/tmp/qs", RealData = [folder.Path] }.Validate().RealData);
        foreach (var bad in new[] { "/nonexistent/real", file })
        {
            var error = Assert.Throws<OptionException>(() => new QuickstartOptions { OutputDirectory = "/tmp/qs", RealData = [folder.Path, bad] }.Validate());
            Assert.Equal("--real", error.Option);
            Assert.Equal($"--real {bad}: no such folder", error.Message);
        }
    }
}
