using TfCrnn.Models.Layers;
using TfCrnn.Models.Paper.Blocks;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace TfCrnn.Models.Paper;

/// <summary>
/// Base of the paper's nine variants: the stem (<c>init_block</c>) and the block stack (<c>blocks.block{i}</c>) shared
/// by every family; the subclasses add the head. Input (batch, 1, 16000) scaled waveforms; output see
/// <see cref="ModelOutput"/>.
/// </summary>
internal abstract class BlockStackModel : SpeechCommandModel
{
    [ComponentName(Name = "init_block")] private readonly StemBlock stem;
    private readonly ModuleDict<ConvBlock> blocks;

    /// <summary>A model named after its variant.</summary>
    protected BlockStackModel(ModelConfig config) : base(config)
    {
        stem = new StemBlock(config.Width);
        blocks = new ModuleDict<ConvBlock>();
        var inChannels = config.Width;
        foreach (var (channels, i) in ModelArchitecture.BlockChannels(config).Select((c, i) => (c, i)))
        {
            blocks.Add($"block{i}", BlockFactory.Create(config, inChannels, channels));
            inChannels = channels;
        }
    }

    /// <summary>Number of convolutional blocks (7 for the CNN, 6 for the default recurrent models).</summary>
    public int BlockCount => blocks.Count;

    /// <summary>
    /// Stem and blocks, then the max over time: (batch, 1, L) → (batch, C). Appends each excited block's scales
    /// (batch, C) to <paramref name="excitationsPerBlock"/>[block] when that is given.
    /// </summary>
    protected Tensor PooledFeatures(Tensor input, Tensor? previousHidden, List<Tensor>[]? excitationsPerBlock)
    {
        var features = stem.forward(input);
        for (var i = 0; i < blocks.Count; i++)
        {
            using var blockInput = features;
            var (output, scales) = blocks[i].Item2.forward(blockInput, previousHidden);
            if (scales is not null)
            {
                if (excitationsPerBlock is null) scales.Dispose();
                else excitationsPerBlock[i].Add(scales);
            }
            features = output;
        }
        using (features)
            return features.amax([-1]);
    }

    /// <summary>The stem with its BatchNorm folded in, in <paramref name="dtype"/>.</summary>
    internal InferenceStem StemForInference(ScalarType dtype) => stem.ForInference(dtype);

    /// <summary>Every block with its BatchNorms folded in, trunks in <paramref name="dtype"/>.</summary>
    internal IEnumerable<InferenceBlock> BlocksForInference(ScalarType dtype) =>
        Enumerable.Range(0, blocks.Count).Select(i => blocks[i].Item2.ForInference(dtype));

    /// <summary>The head for inference: copies of its layers, frozen; the GRU cell is null for the CNN.</summary>
    internal abstract (GRUCell? Cell, Linear Classifier) HeadForInference();

    /// <summary>
    /// <paramref name="copy"/>, a fresh module of <paramref name="source"/>'s shape, with <paramref name="source"/>'s
    /// parameters copied in and frozen, in eval mode: a snapshot that later training does not change.
    /// </summary>
    protected static T CopyForInference<T>(nn.Module source, T copy) where T : nn.Module
    {
        using var noGrad = no_grad();
        var values = source.state_dict();
        foreach (var (name, parameter) in copy.named_parameters())
        {
            parameter.copy_(values[name]);
            parameter.requires_grad = false;
        }
        copy.eval();
        return copy;
    }

    /// <summary>One empty list per block when the excitations are requested, else null.</summary>
    protected List<Tensor>[]? ExcitationCollector(ForwardExtras extras) =>
        extras.HasFlag(ForwardExtras.Excitations) ? [.. Enumerable.Range(0, blocks.Count).Select(_ => new List<Tensor>())] : null;

    /// <summary>Per excited block, its scales stacked over steps: (steps, batch, C); empty for Basic blocks.</summary>
    protected static IReadOnlyList<Tensor> StackPerBlock(List<Tensor>[]? excitationsPerBlock) =>
        excitationsPerBlock is null ? [] : [.. excitationsPerBlock.Where(steps => steps.Count > 0).Select(steps => stack(steps))];
}
