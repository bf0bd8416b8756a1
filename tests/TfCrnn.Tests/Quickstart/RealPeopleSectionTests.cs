using TfCrnn.Checkpoints;
using TfCrnn.Quickstart;
using TfCrnn.Tests.Support;

namespace TfCrnn.Tests.Quickstart;

/// <summary>The quickstart report's "Real people" section for models of other label sets.</summary>
public sealed class RealPeopleSectionTests(TrainedRun run) : IClassFixture<TrainedRun>
{
    [Fact]
    public async Task AModelWithoutARejectionClassGetsADashForRejectedClips()
    {
        using var folder = new TempDirectory("qs-real-section");
        var real = folder.Combine("set");
        ToneDataset.WriteWordFolders(real, ["up", "go", "cat"]);
        var options = new QuickstartOptions { OutputDirectory = folder.Path, RealData = [real], BatchSize = 8, Threads = 1 }.Validate();

        var section = await RealPeopleSection.RunAsync(folder.Path, options, [new QuickstartRun("tones", run.Path, run.Result, null)], null,
            CancellationToken.None);

        // The run trained on the 35 words alone (commands35): no `_none_`, so nothing is counted as rejected.
        Assert.NotNull(section);
        Assert.Matches(@"\n\| tones \| 3 \| \d/3 \(\d+\.\d %\) \| – \| \d/2 \(\d+\.\d % ± \d+\.\d\) \| \d+\.\d % \| \d+\.\d % \|\n", section);
        // The shipped model has `_none_`: its rejections are counted.
        Assert.NotNull(DefaultModel.Locate());
        Assert.Matches(@"\n\| shipped default model \| 3 \| \d/3 \(\d+\.\d %\) \| \d/3 \(\d+\.\d %\) \| ", section);
        Assert.True(File.Exists(Path.Combine(run.Path, "real-set", "twelve_label.json")));
        Assert.True(File.Exists(Path.Combine(folder.Path, RealPeopleSection.DefaultModelFolder, "real-set", "eval.json")));
    }
}
