using TfCrnn.Quickstart;
using TfCrnn.Synthesis;

namespace TfCrnn.Tests.Quickstart;

/// <summary>How the quickstart's options become its synthesis: held-out voices for the generalisation section.</summary>
public sealed class QuickstartOptionsTests
{
    [Fact]
    public void The_default_synthesis_holds_voices_out_into_their_own_folder()
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
    public void Chosen_voices_reach_the_synthesis_and_unknown_ones_are_refused()
    {
        var options = new QuickstartOptions { OutputDirectory = "/tmp/qs", Voices = ["en-us", "en-gb-scotland"] }.Validate();
        Assert.Equal(["en-us", "en-gb-scotland"], QuickstartPipeline.Synthesis(options, "/tmp/qs", "/tmp/qs/data").Voices);
        var error = Assert.Throws<TfCrnnException>(() => (options with { Voices = ["en-xx"] }).Validate());
        Assert.StartsWith("unknown voice 'en-xx'", error.Message);
    }

    [Fact]
    public void Without_held_out_voices_the_synthesis_writes_one_dataset()
    {
        var options = new QuickstartOptions { OutputDirectory = "/tmp/qs", HoldOutVoices = [], HoldOutVariants = [], ClipsPerWord = 3 }.Validate();
        var synthesis = QuickstartPipeline.Synthesis(options, "/tmp/qs", "/tmp/qs/data").Validate();
        Assert.Null(synthesis.HeldOutOutputDirectory);
        Assert.Equal(1, synthesis.HeldOutClipsPerWord);
    }

    [Fact]
    public void A_missing_held_out_dataset_is_refused_before_any_work()
    {
        var error = Assert.Throws<OptionException>(() => new QuickstartOptions { OutputDirectory = "/tmp/qs", HeldOutData = ["/nonexistent/engines"] }.Validate());
        Assert.Equal("--heldout /nonexistent/engines does not exist", error.Message);
    }
}
