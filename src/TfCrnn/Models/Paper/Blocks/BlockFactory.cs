namespace TfCrnn.Models.Paper.Blocks;

/// <summary>Builds the block that a (family, block kind) pair uses (docs/reference-implementation.md, "Models").</summary>
internal static class BlockFactory
{
    /// <summary>A block (batch, <paramref name="inChannels"/>, L) → (batch, <paramref name="channels"/>, floor(L / 3)).</summary>
    public static ConvBlock Create(ModelConfig config, int inChannels, int channels)
    {
        var reduction = config.ExcitationReduction;
        var model = PaperModel.Of(config);
        return (model.Family == ModelFamily.TfCrnn, model.Block) switch
        {
            (false, BlockKind.Basic) => new BasicBlock(inChannels, channels),
            (false, BlockKind.SqueezeExcitation) => new SqueezeExcitationBlock(inChannels, channels, reduction),
            (false, BlockKind.ResidualSqueezeExcitation) =>
                new ResidualSqueezeExcitationBlock(inChannels, channels, reduction, config.ResidualDropout),
            (true, BlockKind.Basic) => new TemporalFeedbackBasicBlock(inChannels, channels, config.HiddenSize, reduction),
            (true, BlockKind.SqueezeExcitation) =>
                new TemporalFeedbackSqueezeExcitationBlock(inChannels, channels, config.HiddenSize, reduction),
            (true, BlockKind.ResidualSqueezeExcitation) => new TemporalFeedbackResidualSqueezeExcitationBlock(
                inChannels, channels, config.HiddenSize, reduction, config.ResidualDropout),
            _ => throw new ArgumentOutOfRangeException(nameof(config), model.Block, "unknown block kind"),
        };
    }
}
