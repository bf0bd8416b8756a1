using TfCrnn.Checkpoints;
using TfCrnn.Interop;
using TfCrnn.Models;
using TfCrnn.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace TfCrnn.Tests.Interop;

public sealed class PyTorchWeightsTests
{
    private static ReferenceFixtures Narrow => ReferenceFixtures.Narrow;

    [Theory]
    [InlineData("cnn-se", 1)]
    [InlineData("tfcrnn-resse", 8)]
    public void NarrowReferenceFixturesAreReproducedWithin1e4(string variant, int comparedTensors) =>
        AssertParity(ReferenceFixtures.Narrow, variant, comparedTensors);

    [SkippableTheory]
    [InlineData("cnn-se", 1)]
    [InlineData("tfcrnn-resse", 8)]
    public void FullWidthReferenceFixturesAreReproducedWithin1e4(string variant, int comparedTensors) =>
        AssertParity(ReferenceFixtures.FullWidth(), variant, comparedTensors);

    private static void AssertParity(ReferenceFixtures fixtures, string variant, int comparedTensors)
    {
        using var model = ModelFactory.Create(variant, fixtures.Width);
        PyTorchWeights.Load(model, fixtures.File($"{variant}.pt"));
        var report = ReferenceParity.Check(model, fixtures.File($"{variant}.io.pt"));
        Assert.Equal(comparedTensors, report.Differences.Count);
        Assert.All(report.Differences, d => Assert.InRange(d.MaxAbsDiff, 0, 1e-4));
        Assert.True(report.PredictionsEqual);
        Assert.True(report.Passed);
    }

    [Theory]
    [InlineData("cnn-se")]
    [InlineData("tfcrnn-resse")]
    public void ImportWithCheckWritesAModelFolderHoldingTheReferenceWeights(string variant)
    {
        using var directory = new TempDirectory("import");
        var result = PyTorchImport.Run(new ImportOptions
        {
            FromPyTorch = Narrow.File($"{variant}.pt"),
            Model = variant,
            Width = Narrow.Width,
            OutputDirectory = directory.Path,
            CheckPath = Narrow.File($"{variant}.io.pt"),
        });
        Assert.True(result.Written);
        Assert.True(result.Parity!.Passed);
        using var loaded = CheckpointLocator.LoadModel(directory.Path);
        Assert.Equal(variant, loaded.Config.Variant);
        AssertSameState(StateDict.ReadPyTorch(Narrow.File($"{variant}.pt")), loaded.state_dict());
    }

    [Fact]
    public void ImportCheckFailsAndWritesNothingForAnotherModelsOutputs()
    {
        using var directory = new TempDirectory("import");
        var output = directory.Combine("model");
        using var scope = NewDisposeScope();
        // Same variant and weights layout as the fixture, but fresh random weights: the outputs cannot match.
        using var model = ModelFactory.Create("cnn-se", Narrow.Width);
        var weights = directory.Combine("random.pt");
        PyTorchWeights.Save(model, weights);
        var result = PyTorchImport.Run(new ImportOptions
        {
            FromPyTorch = weights,
            Model = "cnn-se",
            Width = Narrow.Width,
            OutputDirectory = output,
            CheckPath = Narrow.File("cnn-se.io.pt"),
        });
        Assert.False(result.Parity!.Passed);
        Assert.False(result.Written);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void SaveThenLoadIsBitIdenticalForPytorchAndSafetensors()
    {
        using var directory = new TempDirectory("weights");
        using var scope = NewDisposeScope();
        using var trained = ModelFactory.Create("tfcrnn-resse", width: 8);
        trained.train();
        trained.Forward(randn(2, 1, 16000), ForwardExtras.None); // moves BN statistics and num_batches_tracked off their defaults

        using var fromPyTorch = ModelFactory.Create("tfcrnn-resse", width: 8);
        PyTorchWeights.Save(trained, directory.Combine("model.pt"));
        PyTorchWeights.Load(fromPyTorch, directory.Combine("model.pt"));
        AssertSameState(trained.state_dict(), fromPyTorch.state_dict());

        using var fromSafetensors = ModelFactory.Create("tfcrnn-resse", width: 8);
        SafetensorsWeights.Save(trained, directory.Combine("model.safetensors"));
        SafetensorsWeights.Load(fromSafetensors, directory.Combine("model.safetensors"));
        AssertSameState(trained.state_dict(), fromSafetensors.state_dict());
        Assert.Equal(["model.pt", "model.safetensors"], Directory.GetFiles(directory.Path).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void WeightsOfAnotherVariantAreRejectedWithEveryDifferingKey()
    {
        using var model = ModelFactory.Create("tfcrnn-resse", Narrow.Width);
        var path = Narrow.File("cnn-se.pt");
        var error = Assert.Throws<CheckpointException>(() => PyTorchWeights.Load(model, path));
        Assert.Contains(path, error.Message);
        Assert.Contains("cell.weight_ih", error.MissingKeys);
        Assert.Contains("blocks.block0.residual.conv0.weight", error.MissingKeys);
        Assert.Contains("blocks.block6.se.linear0.weight", error.UnexpectedKeys);
        Assert.Contains("blocks.block0.base_block.conv.weight", error.UnexpectedKeys);
        Assert.Equal(["classifier.weight: file (35, 64), model (35, 256)"], error.MisshapedKeys);
        Assert.Contains("missing keys", error.Message);
        Assert.Contains("unexpected keys", error.Message);
        Assert.Contains("mis-shaped keys", error.Message);
    }

    [Fact]
    public void WeightsOfAnotherWidthAreRejectedAsMisShaped()
    {
        using var model = ModelFactory.Create("cnn-se", width: 8);
        var error = Assert.Throws<CheckpointException>(() => PyTorchWeights.Load(model, Narrow.File("cnn-se.pt")));
        Assert.Empty(error.MissingKeys);
        Assert.Empty(error.UnexpectedKeys);
        Assert.Contains("init_block.conv0.weight: file (16, 1, 3), model (8, 1, 3)", error.MisshapedKeys);
    }

    [Fact]
    public void CorruptAndMissingFilesGiveClearErrors()
    {
        using var directory = new TempDirectory("weights");
        using var model = ModelFactory.Create("cnn-basic", width: 8);
        var corrupt = directory.Combine("corrupt.pt");
        File.WriteAllText(corrupt, "this is not a zip file");
        var error = Assert.Throws<CheckpointException>(() => PyTorchWeights.Load(model, corrupt));
        Assert.StartsWith($"{corrupt}: not a PyTorch state_dict", error.Message);

        var missing = directory.Combine("missing.pt");
        Assert.Equal($"{missing}: file not found", Assert.Throws<CheckpointException>(() => PyTorchWeights.Load(model, missing)).Message);
        Assert.Contains("model config not found", Assert.Throws<CheckpointException>(() => ModelFolder.ReadConfig(directory.Path)).Message);
    }

    private static void AssertSameState(IReadOnlyDictionary<string, Tensor> expected, IReadOnlyDictionary<string, Tensor> actual)
    {
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        Assert.All(expected, entry =>
        {
            Assert.Equal(entry.Value.dtype, actual[entry.Key].dtype);
            Assert.True(entry.Value.equal(actual[entry.Key]).all().item<bool>(), entry.Key);
        });
    }
}
