using TfCrnn.Data;
using TfCrnn.RealSpeech;
using TfCrnn.Tests.Support;

namespace TfCrnn.Tests.RealSpeech;

/// <summary>The vendored real-speech dev set, <c>bench/real/dev</c>, keeps the rules of issue 27.</summary>
public sealed class RealDevSetTests
{
    private static readonly string Dev = Path.Combine(TestPaths.RepositoryRoot, "bench", "real", "dev");

    [Fact]
    public void EveryClipHasOneProvenanceRowWithALicenceAndEverySpeechCommandsSpeakerIsATrainingSpeaker()
    {
        var clips = Directory.GetFiles(Dev, "*.wav", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Dev, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith('.')).Order(StringComparer.Ordinal).ToList();
        var rows = ProvenanceFile.Read(Dev);

        Assert.Equal(137, clips.Count);
        Assert.Equal(clips, rows.Select(r => r.Clip));
        Assert.All(rows, r => Assert.False(string.IsNullOrWhiteSpace(r.Licence) || string.IsNullOrWhiteSpace(r.Commit), r.Clip));
        var speechCommands = rows.Where(r => !r.Source.Contains("free-spoken-digit", StringComparison.Ordinal)).ToList();
        Assert.Equal(117, speechCommands.Count);
        Assert.All(speechCommands, r => Assert.Equal(Split.Train, RealSpeechImport.SpeakerSplit(r.Speaker)));
    }
}
