using TfCrnn.Data;

namespace TfCrnn.Tests.Data;

public class SplitRuleTests
{
    // Expected values from Python: (int(hashlib.sha1(name.encode()).hexdigest(), 16) % 2**27) * (100.0 / (2**27 - 1)).
    [Theory]
    [InlineData("0a7c2a8d_nohash_0.wav", 56.836387193474074, Split.Train)]
    [InlineData("bed/00176480_nohash_0.wav", 69.79815490393456, Split.Train)]
    [InlineData("a1b2c3d4_nohash_0.wav", 3.3338815222224705, Split.Valid)]
    [InlineData("0ab3b47d_nohash_0.wav", 9.130575575907345, Split.Valid)]
    [InlineData("00000000_nohash_0.wav", 9.555729549793373, Split.Valid)]
    [InlineData("be1e0823_nohash_2.wav", 16.829276955345847, Split.Test)]
    [InlineData("6526afd1_nohash_0.wav", 12.258681001206345, Split.Test)]
    [InlineData("daa66d13_nohash_0.wav", 79.2701518481236, Split.Train)]
    public void MatchesPythonsHashlib(string path, double percentage, Split split)
    {
        Assert.Equal(percentage, SplitRule.Percentage(path), 12);
        Assert.Equal(split, SplitRule.Of(path));
    }

    [Fact]
    public void EveryClipOfASpeakerSharesASplit()
    {
        foreach (var speaker in new[] { "0a7c2a8d", "be1e0823", "00000000" })
        {
            var splits = Enumerable.Range(0, 5)
                .SelectMany(n => new[] { $"bed/{speaker}_nohash_{n}.wav", $"zero/{speaker}_nohash_{n}.wav", $"{speaker}_nohash_{n}.wav" })
                .Select(SplitRule.Of)
                .Distinct();
            Assert.Single(splits);
        }
    }
}
