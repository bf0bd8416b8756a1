using System.Text.RegularExpressions;
using TfCrnn.Interop;
using TfCrnn.Models;
using TfCrnn.Models.Paper;
using TfCrnn.Tests.Support;
using TorchSharp;

namespace TfCrnn.Tests.Models;

public sealed partial class StateDictKeyTests
{
    [Theory]
    [InlineData("cnn-se")]
    [InlineData("tfcrnn-resse")]
    public void KeysAndShapesEqualTheNarrowReferenceStateDict(string variant) =>
        AssertSameKeysAndShapes(ReferenceFixtures.Narrow, variant);

    [SkippableTheory]
    [InlineData("cnn-se")]
    [InlineData("tfcrnn-resse")]
    public void KeysAndShapesEqualTheFullWidthReferenceStateDict(string variant) =>
        AssertSameKeysAndShapes(ReferenceFixtures.FullWidth(), variant);

    private static void AssertSameKeysAndShapes(ReferenceFixtures fixtures, string variant)
    {
        using var model = ModelFactory.Create(variant, fixtures.Width);
        var reference = StateDict.ReadPyTorch(fixtures.File($"{variant}.pt"));
        var ours = model.state_dict();
        Assert.Equal(reference.Keys.Order(StringComparer.Ordinal), ours.Keys.Order(StringComparer.Ordinal));
        Assert.All(reference, entry => Assert.Equal(entry.Value.shape, ours[entry.Key].shape));
        Assert.Equal(torch.ScalarType.Int64, ours["init_block.norm0.num_batches_tracked"].dtype);
    }

    [Theory]
    [MemberData(nameof(ModelVariants.All), MemberType = typeof(ModelVariants))]
    public void EveryVariantFollowsTheReferenceNamingRule(string variant)
    {
        using var model = ModelFactory.Create(variant, width: 8);
        var config = model.Config;
        var blockPattern = (PaperModel.Of(config).Family == ModelFamily.TfCrnn, PaperModel.Of(config).Block) switch
        {
            (false, BlockKind.Basic) => @"(conv|norm)",
            (false, BlockKind.SqueezeExcitation) => @"(base_block\.(conv|norm)|se\.linear[01])",
            (false, BlockKind.ResidualSqueezeExcitation) => @"(residual\.(conv|norm)[01]|identity\.(conv|norm)|se\.linear[01])",
            (true, BlockKind.Basic) or (true, BlockKind.SqueezeExcitation) => @"(base_block\.(conv|norm)|excitation\.linear[01])",
            _ => @"(residual\.(conv|norm)[01]|identity\.(conv|norm)|excitation\.linear[01])",
        };
        var head = config.IsRecurrent ? @"|cell\.(weight|bias)_(ih|hh)" : "";
        var rule = new Regex(
            $@"^(init_block\.(conv0|norm0)|blocks\.block[0-{((BlockStackModel)model).BlockCount - 1}]\.{blockPattern}|classifier{head})" +
            @"(\.(weight|bias|running_mean|running_var|num_batches_tracked))?$");
        var keys = model.state_dict().Keys.ToList();
        Assert.All(keys, key => Assert.Matches(rule, key));
        // Projection shortcuts exist exactly where the channels change: block 2 and the last block.
        var projected = keys.Where(k => k.EndsWith(".identity.conv.weight", StringComparison.Ordinal)).ToList();
        Assert.Equal(PaperModel.Of(config).Block == BlockKind.ResidualSqueezeExcitation
            ? [$"blocks.block2.identity.conv.weight", $"blocks.block{((BlockStackModel)model).BlockCount - 1}.identity.conv.weight"]
            : [], projected);
    }
}
