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
        // espeak-ng's own voices even where the MBROLA ones are installed: the quickstart's budget is too small for them.
        Assert.Equal(VoiceCatalog.EspeakVoices, synthesis.Voices);
        Assert.All(VoiceCatalog.Configurations(synthesis.Voices, synthesis.Variants), c => Assert.Null(VoiceCatalog.MbrolaOf(c.Voice)));
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
