using TfCrnn.Data;
using TfCrnn.Evaluation;
using TfCrnn.Models;
using TfCrnn.Models.Layers;
using TfCrnn.Models.SpeechEmbedding;
using TfCrnn.Training;
using static TorchSharp.torch;

namespace TfCrnn.Tests.Models;

/// <summary>
/// The heads over the speech embedding (<c>embedding-tfgru</c>, <c>embedding-gru</c>): the h(t-1)-gated GRU and the plain
/// one. Shapes, stacked cells, the step as the unit of the unrolled forward pass, the standardisation travelling in the
/// state dict, and a tiny head learning a tiny task.
/// </summary>
public sealed class EmbeddingHeadTests
{
    private static EmbeddingHead Head(bool feedback, int classes, int hidden, int layers = 1, double dropout = 0.2) =>
        (EmbeddingHead)ModelFactory.Create(ModelConfig.For(feedback ? "embedding-tfgru" : "embedding-gru") with
        {
            HiddenSize = hidden,
            HeadLayers = layers,
            HeadDropout = dropout,
            Labels = [.. Enumerable.Range(0, classes).Select(i => $"w{i}")],
        });

    [Theory]
    [InlineData(true, 36_116)]
    [InlineData(false, 33_444)]
    public void HasTheShapesAndParametersOfTheBenchsHeads(bool feedback, long parameters)
    {
        // The bench's heads (bench/results/real-speech.md): hidden 64, commands35+none, the registry's defaults.
        var config = ModelConfig.For(feedback ? "embedding-tfgru" : "embedding-gru");
        Assert.Equal((64, 36, 1, 0), (config.HiddenSize, config.Classes, config.HeadLayers, config.Width));
        using var head = (EmbeddingHead)ModelFactory.Create(config);
        Assert.Equal(parameters, head.parameters().Sum(p => p.numel()));
        head.eval();
        using var _ = no_grad();
        using var embeddings = randn(3, 16, 96);
        using var output = head.forward(embeddings);
        var logits = output.Logits;
        Assert.Equal([16L, 3, 36], logits.shape);
        using var h0 = head.InitialHidden(3);
        var (stepLogits, hidden) = head.Step(embeddings.select(1, 0), h0);
        using (stepLogits)
        using (hidden)
        {
            Assert.Equal([3L, 36], stepLogits.shape);
            Assert.Equal([3L, 64], hidden.shape);
        }
    }

    /// <summary>
    /// Stacked cells (<c>--head-layers</c>): one more GRU cell of hidden → hidden per layer, the state every cell's; the
    /// gate reads the top cell's h(t-1).
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void StackedCellsAddOneCellEachAndKeepEveryCellsState(bool feedback)
    {
        using var one = Head(feedback, 36, 64);
        using var three = Head(feedback, 36, 64, layers: 3);
        const long cell = 3 * (64 * 64 + 64 * 64 + 2 * 64);
        Assert.Equal(one.parameters().Sum(p => p.numel()) + 2 * cell, three.parameters().Sum(p => p.numel()));
        Assert.Equal(3 * 64, three.Config.StateSize);
        using var _ = no_grad();
        three.eval();
        using var output = three.forward(randn(2, 16, 96));
        Assert.Equal([2L, 3 * 64], output.Hidden!.shape);
        Assert.Contains("cells.2.weight_hh", three.state_dict().Keys);
    }

    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 1)]
    [InlineData(true, 2)]
    public void TheForwardPassIsTheStepUnrolled(bool feedback, int layers)
    {
        manual_seed(3);
        using var head = Head(feedback, 5, 16, layers);
        using var embeddings = randn(4, 16, 96) * 3 + 1;
        head.Standardise(embeddings);
        head.eval();
        using var _ = no_grad();
        using var output = head.forward(embeddings);
        var logits = output.Logits;
        var hidden = head.InitialHidden(4);
        for (var t = 0; t < 16; t++)
        {
            using var previous = hidden;
            var (stepLogits, next) = head.Step(embeddings.select(1, t), previous);
            using (stepLogits)
                Assert.True(stepLogits.allclose(logits[t], rtol: 0, atol: 1e-6), $"step {t}");
            hidden = next;
        }
        hidden.Dispose();
    }

    /// <summary>The gated head's step is the plain head's step on the features scaled by the gate's excitation of h(t-1).</summary>
    [Fact]
    public void TheGateScalesTheFeaturesByTheExcitationOfThePreviousState()
    {
        manual_seed(4);
        using var gated = Head(feedback: true, 3, 16);
        using var plain = Head(feedback: false, 3, 16);
        var (missing, unexpected) = plain.load_state_dict(gated.state_dict(), strict: false);
        Assert.Empty(missing);
        Assert.Equal(["gate.linear0.bias", "gate.linear0.weight", "gate.linear1.bias", "gate.linear1.weight"], unexpected.Order());
        gated.eval();
        plain.eval();
        using var _ = no_grad();
        var gate = (Excitation)gated.named_children().Single(c => c.name == "gate").module;
        using var features = randn(2, 96);
        using var previous = randn(2, 16);
        using var scale = gate.forward(previous);
        using var scaled = features.mul(scale);
        var (expected, expectedHidden) = plain.Step(scaled, previous);
        var (actual, actualHidden) = gated.Step(features, previous);
        var (ungated, _) = plain.Step(features, previous);
        Assert.True(actual.allclose(expected, rtol: 0, atol: 1e-6));
        Assert.True(actualHidden.allclose(expectedHidden, rtol: 0, atol: 1e-6));
        Assert.False(actual.allclose(ungated, rtol: 0, atol: 1e-3));
    }

    [Fact]
    public void TheStandardisationIsPartOfTheStateDict()
    {
        manual_seed(5);
        using var embeddings = randn(50, 16, 96) * 4 + 2;
        using var head = Head(feedback: true, 4, 8);
        head.Standardise(embeddings);
        var state = head.state_dict();
        Assert.True(state["mean"].allclose(embeddings.mean([0, 1])));
        Assert.True(state["deviation"].allclose(embeddings.reshape(-1, 96).std([0])));
        Assert.DoesNotContain(head.parameters(), p => ReferenceEquals(p, state["mean"]));

        using var copy = Head(feedback: true, 4, 8);
        copy.load_state_dict(state);
        head.eval();
        copy.eval();
        using var _ = no_grad();
        using var x = embeddings.narrow(0, 0, 3);
        using var expected = head.forward(x);
        using var actual = copy.forward(x);
        Assert.True(expected.Logits.allclose(actual.Logits, rtol: 0, atol: 0));
    }

    /// <summary>
    /// Three classes told apart by where a pattern sits in the 96 features, at a random step among noise: the gated
    /// and the plain head both learn it with the project's many-to-many loss, and score on unseen sequences.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ATinyHeadLearnsATinyTask(bool feedback)
    {
        manual_seed(6);
        var generator = new Generator(6);
        (Tensor X, Tensor Y) Task(int count)
        {
            var labels = randint(0, 3, [count], generator: generator);
            var x = randn([count, 8, 96], generator: generator).mul_(0.5).add_(3);
            var steps = randint(1, 5, [count], generator: generator);
            for (var i = 0; i < count; i++)
            {
                var label = labels[i].item<long>();
                var step = steps[i].item<long>();
                x[i, TensorIndex.Slice(step, step + 3), TensorIndex.Slice(label * 32, label * 32 + 32)].add_(2);
            }
            steps.Dispose();
            return (x, labels);
        }
        var (trainX, trainY) = Task(128);
        var (testX, testY) = Task(96);
        using var head = Head(feedback, 3, 16, dropout: 0.1);
        head.Standardise(trainX);
        using var optimizer = optim.Adam(head.parameters(), lr: 0.01);
        for (var epoch = 0; epoch < 12; epoch++)
        {
            head.train();
            for (var start = 0; start < 128; start += 32)
            {
                using var scope = NewDisposeScope();
                optimizer.zero_grad();
                var loss = Losses.Training(head.forward(trainX.narrow(0, start, 32)).Logits, trainY.narrow(0, start, 32), OutputMode.ManyToMany);
                loss.backward();
                optimizer.step();
            }
        }
        head.eval();
        using var _ = no_grad();
        using var output = head.forward(testX);
        using var top = output.Logits[-1].argmax(-1);
        var accuracy = top.eq(testY).sum().item<long>() / 96.0;
        Assert.True(accuracy >= 0.9, $"accuracy on unseen sequences {accuracy:P0}");
        foreach (var t in new[] { trainX, trainY, testX, testY }) t.Dispose();
    }

    /// <summary>
    /// The declarations: the speech embedding's geometry (13,152 samples for an embedding, one every 1,280, 16 per clip),
    /// the rejection task by default, and the options that size them: --hidden-size and --head-layers, never --width.
    /// </summary>
    [Theory]
    [InlineData("embedding-tfgru")]
    [InlineData("embedding-gru")]
    public void TheDeclarationsTakeTheEmbeddingsGeometryAndTheirOwnSizes(string name)
    {
        var declaration = ModelRegistry.Get(name);
        Assert.Equal((FrontEndKind.Frozen, "speech-embedding"), (declaration.FrontEnd.Kind, declaration.FrontEnd.Name));
        Assert.Equal(new StepGeometry(13_152, 1_280, 16), declaration.DefaultConfig.Geometry);
        Assert.Equal(LabelTasks.CommandsAndNone, declaration.Task);
        Assert.Equal([5L, 16, 96], declaration.InputShape(declaration.DefaultConfig, 5));

        TrainingOptions Options(int? width = null, int? hidden = null, int? layers = null) =>
            new() { DataPath = "data", Variant = name, OutputDirectory = "run", Width = width, HiddenSize = hidden, HeadLayers = layers };
        var sized = Options(hidden: 32, layers: 2).Validate().ModelConfig();
        Assert.Equal((32, 2, 0, 36), (sized.HiddenSize, sized.HeadLayers, sized.Width, sized.Classes));
        Assert.Equal(64, Options().ModelConfig().HiddenSize);
        Assert.Equal("--width", Assert.Throws<OptionException>(() => Options(width: 16).Validate()).Option);
        Assert.Equal("--head-layers", Assert.Throws<OptionException>(() => Options(layers: 5).Validate()).Option);
        Assert.Equal("--hidden-size", Assert.Throws<OptionException>(() => Options(hidden: 0).Validate()).Option);
        Assert.Equal("--step-ms", Assert.Throws<OptionException>(() => (Options() with { StepMs = 50 }).Validate()).Option);
        Assert.Contains("no convolutional trunk", Assert.Throws<ModelConfigException>(() =>
            ModelConfig.FromJson($$"""{"variant": "{{name}}", "width": 8}""")).Message);
    }

    [Fact]
    public void ThePapersModelsKeepTheirOneCell()
    {
        var options = new TrainingOptions { DataPath = "data", Variant = "tfcrnn-se", OutputDirectory = "run", HeadLayers = 2 };
        Assert.Equal("--head-layers", Assert.Throws<OptionException>(() => options.Validate()).Option);
        Assert.Throws<ModelConfigException>(() => (ModelConfig.For("tfcrnn-se") with { HeadLayers = 2 }).Validate());
        Assert.Equal((128, 256, LabelTasks.Commands), (options with { HeadLayers = null }).ModelConfig() is var c
            ? (c.Width, c.HiddenSize, (options with { HeadLayers = null }).TaskInForce) : default);
    }
}
