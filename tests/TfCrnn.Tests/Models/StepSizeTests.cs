using TfCrnn.Models;
using TfCrnn.Models.Paper;
using TorchSharp;
using static TorchSharp.torch;

namespace TfCrnn.Tests.Models;

/// <summary>
/// The recurrent models at the paper's grid of steps (12.5 … 250 ms, window = 2 × step; Kim & Nam, Section III-C)
/// and the authors' rules for windows, steps and blocks. Expected values are derived here from the rules, in integer
/// arithmetic, never read from the code under test.
/// </summary>
public sealed class StepSizeTests
{
    public static readonly TheoryData<double> GridSteps = [12.5, 25, 50, 100, 250];

    public static TheoryData<double, string> GridStepsAndVariants()
    {
        var data = new TheoryData<double, string>();
        foreach (var step in GridSteps)
            foreach (var variant in PaperModels.All.Select(m => m.Name))
                data.Add(step, variant);
        return data;
    }

    [Theory]
    [MemberData(nameof(GridStepsAndVariants))]
    public void ShapesStepsBlocksAndParametersFollowTheRulesAtEveryGridStep(double stepMs, string variant)
    {
        const int width = 8;
        var config = ModelConfig.For(variant) with { Width = width };
        if (config.IsRecurrent) config = config.WithStep(stepMs);
        var window = (int)(2 * stepMs * 16); // 16 samples per ms
        var (samples, expectedSteps) = config.IsRecurrent ? (window, 2 * (16000 / window) - 1) : (16000, 1);
        var expectedBlocks = config.IsRecurrent ? FloorLog3(window) - 1 : 7;
        var channels = ExpectedChannels(expectedBlocks, width);

        Assert.Equal(config.IsRecurrent ? (window, window / 2) : (3200, 1600), (config.Window, config.Hop));
        Assert.Equal(expectedSteps, config.Steps);
        Assert.Equal(expectedBlocks, ModelArchitecture.BlockCount(config));
        Assert.Equal(channels, ModelArchitecture.BlockChannels(config));
        Assert.Equal(ExpectedLengths(samples, expectedBlocks), ModelArchitecture.FeatureLengths(config));

        using var scope = NewDisposeScope();
        using var model = ModelFactory.Create(config);
        Assert.Equal(ExpectedParameters(PaperModel.Of(config).Family, PaperModel.Of(config).Block, width, channels), model.parameters().Sum(p => p.numel()));
        Assert.Equal(expectedBlocks, ((BlockStackModel)model).BlockCount);
        model.eval();
        using var noGrad = no_grad();
        var output = model.Forward(randn(1, 1, 16000, generator: new Generator(1)), ForwardExtras.Excitations);
        Assert.Equal([expectedSteps, 1, 35], output.Logits.shape);
        Assert.Equal(config.IsRecurrent ? [1, 256] : null, output.Hidden?.shape);
        var excited = PaperModel.Of(config).Family == ModelFamily.TfCrnn || PaperModel.Of(config).Block != BlockKind.Basic;
        Assert.Equal(excited ? channels : [], output.Excitations.Select(e => (int)e.shape[2]));
        Assert.All(output.Excitations, e => Assert.Equal([expectedSteps, 1], e.shape[..2]));
    }

    [Fact]
    public void ParameterFormulaOfTheseTestsGivesThePublishedCountsAt100Ms()
    {
        // The formula above is only as good as this check: at the paper's setting it must give the reference counts.
        Assert.Equal(3_407_843, ExpectedParameters(ModelFamily.TfCrnn, BlockKind.ResidualSqueezeExcitation, 128, ExpectedChannels(6, 128)));
        Assert.Equal(1_588_771, ExpectedParameters(ModelFamily.Crnn, BlockKind.Basic, 128, ExpectedChannels(6, 128)));
        Assert.Equal(1_762_531, ExpectedParameters(ModelFamily.TfCrnn, BlockKind.SqueezeExcitation, 128, ExpectedChannels(6, 128)));
        Assert.Equal(1_345_027, ExpectedParameters(ModelFamily.Cnn, BlockKind.SqueezeExcitation, 128, ExpectedChannels(7, 128)));
        Assert.Equal(299_415, ExpectedParameters(ModelFamily.TfCrnn, BlockKind.ResidualSqueezeExcitation, 16, ExpectedChannels(5, 16)));
    }

    [Theory]
    [MemberData(nameof(GridSteps))]
    public void AStepsLogitsDoNotDependOnSamplesAfterItsWindow(double stepMs)
    {
        using var scope = NewDisposeScope();
        using var model = ModelFactory.Create((ModelConfig.For("tfcrnn-se") with { Width = 8 }).WithStep(stepMs));
        model.eval();
        using var noGrad = no_grad();
        var (window, hop, step) = (model.Config.Window, model.Config.Hop, (model.Config.Steps - 1) / 2);
        var input = randn(1, 1, 16000, generator: new Generator(1));
        var end = step * hop + window; // step t reads samples [t·hop, t·hop + window)
        var changed = input.clone();
        changed[.., .., end..] = randn(1, 1, 16000 - end, generator: new Generator(2));

        var before = model.Forward(input, ForwardExtras.None).Logits;
        var after = model.Forward(changed, ForwardExtras.None).Logits;

        Assert.Equal(0f, (before[..(step + 1)] - after[..(step + 1)]).abs().max().item<float>());
        Assert.True((before[step + 1] - after[step + 1]).abs().max().item<float>() > 0f, $"step {step + 1} sees the change");
    }

    [Theory]
    [InlineData(12.5)]
    [InlineData(75.0)]
    [InlineData(250.0)]
    public void TheClipForwardIsTheStepOverTheAuthorsWindows(double stepMs)
    {
        // The streaming contract: Step(window t, h(t-1)) from InitialHidden reproduces the clip's logits at every step.
        using var scope = NewDisposeScope();
        using var model = (Crnn)ModelFactory.Create((ModelConfig.For("tfcrnn-resse") with { Width = 8 }).WithStep(stepMs));
        model.eval();
        using var noGrad = no_grad();
        var input = randn(2, 1, 16000, generator: new Generator(3));
        var clip = model.Forward(input, ForwardExtras.None);

        var hidden = model.InitialHidden(2);
        for (var t = 0; t < model.Config.Steps; t++)
        {
            var (logits, next) = model.Step(input.narrow(2, t * model.Config.Hop, model.Config.Window), hidden);
            Assert.True(logits.allclose(clip.Logits[t], rtol: 0, atol: 1e-5), $"step {t}");
            hidden = next;
        }
        Assert.True(hidden.allclose(clip.Hidden!, rtol: 0, atol: 1e-5));
    }

    [Fact]
    public void StepsFollowTheAuthorsCountWhereTheWindowDoesNotDivideTheClip()
    {
        // 150 ms windows: 2 × (16000 div 2400) − 1 = 11 steps, the last reading [12000, 14400); an unfold at the
        // 1,200-sample hop would also fit a 12th window, [13200, 15600).
        using var scope = NewDisposeScope();
        var config = (ModelConfig.For("crnn-basic") with { Width = 8 }).WithStep(75);
        using var model = ModelFactory.Create(config);
        model.eval();
        using var noGrad = no_grad();
        Assert.Equal((2400, 1200, 11), (config.Window, config.Hop, config.Steps));
        Assert.Equal([11, 1, 35], model.Forward(randn(1, 1, 16000), ForwardExtras.None).Logits.shape);

        // An odd window from --window-ms: hop = window div 2.
        var odd = (ModelConfig.For("crnn-basic") with { Width = 8 }).WithStep(stepMs: null, windowMs: 200.0625);
        Assert.Equal((3201, 1600, 2 * (16000 / 3201) - 1), (odd.Window, odd.Hop, odd.Steps));
    }

    [Fact]
    public void BlockCountTruncatesLog3InDoubleArithmeticAsTheAuthorsPythonDoes()
    {
        // math.log(243, 3) = 4.999999999999999 in Python (log(243) / log(3) in doubles), so 243 samples give 3 blocks,
        // not 4; every other window from 27 to 16,000 samples gets floor(log3(window)) − 1.
        var differing = Enumerable.Range(PaperModel.MinimumWindow, 16000 - PaperModel.MinimumWindow + 1)
            .Where(window => ModelArchitecture.BlockCount(ModelConfig.For("crnn-se") with { Window = window }) != FloorLog3(window) - 1)
            .ToList();
        Assert.Equal([243], differing);
        Assert.Equal(3, ModelArchitecture.BlockCount(ModelConfig.For("crnn-se") with { Window = 243 }));
        Assert.Equal(4, ModelArchitecture.BlockCount(ModelConfig.For("crnn-se") with { Window = 244 }));
    }

    [Theory]
    [InlineData("crnn-basic")]
    [InlineData("tfcrnn-resse")]
    public void ThreeBlockTrunksHave128256512ChannelsWhateverTheWidth(string variant)
    {
        // 5 ms steps: 160-sample windows, int(log3(160)) − 1 = 3 blocks.
        var config = (ModelConfig.For(variant) with { Width = 16 }).WithStep(5);
        Assert.Equal(3, ModelArchitecture.BlockCount(config));
        Assert.Equal([128, 256, 512], ModelArchitecture.BlockChannels(config));
        Assert.Equal([54, 18, 6, 2], ModelArchitecture.FeatureLengths(config));

        using var scope = NewDisposeScope();
        using var model = ModelFactory.Create(config);
        Assert.Equal(ExpectedParameters(PaperModel.Of(config).Family, PaperModel.Of(config).Block, 16, [128, 256, 512]), model.parameters().Sum(p => p.numel()));
        Assert.Equal([16, 1, 3], model.state_dict()["init_block.conv0.weight"].shape);
        Assert.Equal(199, config.Steps);
        model.eval();
        using var noGrad = no_grad();
        Assert.Equal([5, 1, 35], model.Forward(randn(1, 1, 3 * 160), ForwardExtras.None).Logits.shape); // 2 × (480 div 160) − 1
    }

    [Theory]
    [InlineData(0.5, null, "--step-ms 0.5 gives a 16-sample window, shorter than 27 samples")]
    [InlineData(null, 1.6875, null)]
    [InlineData(null, 1.625, "--window-ms 1.625 gives a 26-sample window, shorter than 27 samples")]
    [InlineData(0.03, null, "--step-ms 0.03: not a positive whole number of samples")]
    [InlineData(-50.0, null, "--step-ms -50: not a positive whole number of samples")]
    [InlineData(0.0, null, "--step-ms 0: not a positive whole number of samples")]
    [InlineData(500.0, null, null)]
    [InlineData(500.0625, null, "--step-ms 500.0625 gives a 16002-sample window, longer than the 16000-sample clip")]
    [InlineData(null, 1000.0625, "--window-ms 1000.0625 gives a 16001-sample window, longer than the 16000-sample clip")]
    [InlineData(50.0, 100.0, "--step-ms and --window-ms: give one, not both")]
    public void StepsThatGiveNoValidModelAreRejectedNamingTheOption(double? stepMs, double? windowMs, string? error)
    {
        var config = ModelConfig.For("tfcrnn-se");
        if (error is not null)
        {
            Assert.StartsWith(error, Assert.Throws<OptionException>(() => config.WithStep(stepMs, windowMs)).Message);
            return;
        }
        // The limits themselves are valid: 27 samples (2 blocks, 1,183 steps) and the whole clip (7 blocks, 1 step).
        var model = config.WithStep(stepMs, windowMs);
        Assert.Equal(model.Window == 27 ? (2, 1183) : (7, 1), (ModelArchitecture.BlockCount(model), model.Steps));
    }

    [Fact]
    public void TheCnnRejectsAStepAndAConfigFileWithABadWindowIsRejected()
    {
        Assert.Equal("--step-ms applies to the recurrent models (crnn-*, tfcrnn-*); cnn-se sees the whole clip at once",
            Assert.Throws<OptionException>(() => ModelConfig.For("cnn-se").WithStep(50)).Message);
        Assert.StartsWith("--window-ms applies to the recurrent models",
            Assert.Throws<OptionException>(() => ModelConfig.For("cnn-basic").WithStep(null, 100)).Message);
        var cnn = ModelConfig.For("cnn-se");
        Assert.Same(cnn, cnn.WithStep(null));
        Assert.Contains("window 20 samples: shorter than 27 samples",
            Assert.Throws<ModelConfigException>(() => ModelConfig.FromJson("""{"variant": "crnn-se", "window": 20}""")).Message);
    }

    [Fact]
    public void ConfigFilesKeepWindowAndHopAndOlderFilesLoadUnchanged()
    {
        var defaults = ModelConfig.For("tfcrnn-resse");
        var json = defaults.ToJson();
        Assert.Contains("\"window\": 3200", json);
        Assert.Contains("\"hop\": 1600", json);
        Assert.Equal(defaults, ModelConfig.FromJson(json));

        // A config.json written before steps could be set: window 3200, hop 1600.
        var older = ModelConfig.FromJson("""
            {"variant": "crnn-se", "width": 16, "hidden_size": 256, "classes": 35, "clip_samples": 16000, "window": 3200,
             "hop": 1600, "head_dropout": 0.5, "residual_dropout": 0.2, "excitation_reduction": 8}
            """);
        Assert.Equal(ModelConfig.For("crnn-se") with { Width = 16 }, older);

        var fiftyMs = ModelConfig.FromJson(defaults.WithStep(50).ToJson());
        Assert.Equal((1600, 800, 19, 50.0), (fiftyMs.Window, fiftyMs.Hop, fiftyMs.Steps, fiftyMs.StepMs));
    }

    /// <summary>floor(log3(n)) in integers.</summary>
    private static int FloorLog3(int n)
    {
        var log = 0;
        for (var power = 3; power <= n; power *= 3) log++;
        return log;
    }

    /// <summary>Block i keeps its input channels except block 2 and the last, which double them; 3 blocks: 128, 256, 512.</summary>
    private static int[] ExpectedChannels(int blocks, int width)
    {
        if (blocks == 3) return [128, 256, 512];
        var channels = new int[blocks];
        for (int i = 0, c = width; i < blocks; i++)
            channels[i] = c = i == 2 || i == blocks - 1 ? 2 * c : c;
        return channels;
    }

    /// <summary>Stem length ceil(samples / 3) (kernel 3, stride 3, padding 1), then a third per block, floored.</summary>
    private static int[] ExpectedLengths(int samples, int blocks)
    {
        var lengths = new int[blocks + 1];
        lengths[0] = (samples + 2) / 3;
        for (var i = 1; i <= blocks; i++) lengths[i] = lengths[i - 1] / 3;
        return lengths;
    }

    /// <summary>Trainable parameters from the layer shapes (hidden 256, 35 classes, bottleneck C / 8).</summary>
    private static long ExpectedParameters(ModelFamily family, BlockKind block, int width, IReadOnlyList<int> channels)
    {
        const long hidden = 256, classes = 35;
        static long Conv(long cin, long c, long kernel) => c * cin * kernel + c;
        static long Norm(long c) => 2 * c;
        static long Excitation(long inputs, long c) => inputs * (c / 8) + c / 8 + c / 8 * c + c;
        long total = Conv(1, width, 3) + Norm(width);
        long cin = width;
        foreach (long c in channels)
        {
            total += block == BlockKind.ResidualSqueezeExcitation
                ? Conv(cin, c, 3) + Norm(c) + Conv(c, c, 3) + Norm(c) + (cin == c ? 0 : Conv(cin, c, 1) + Norm(c))
                : Conv(cin, c, 3) + Norm(c);
            total += (family, block) switch
            {
                (ModelFamily.TfCrnn, BlockKind.Basic) => Excitation(hidden, c),
                (ModelFamily.TfCrnn, _) => Excitation(c + hidden, c),
                (_, BlockKind.Basic) => 0,
                _ => Excitation(c, c),
            };
            cin = c;
        }
        return family == ModelFamily.Cnn
            ? total + cin * classes + classes
            : total + 3 * hidden * (cin + hidden) + 2 * 3 * hidden + hidden * classes + classes;
    }
}
