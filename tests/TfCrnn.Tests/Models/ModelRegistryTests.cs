using TfCrnn.Analysis;
using TfCrnn.Models;
using TfCrnn.Models.Paper;
using TfCrnn.Tests.Support;
using static TorchSharp.torch;

namespace TfCrnn.Tests.Models;

/// <summary>
/// Every model of the registry against its declaration: the parameter count it declares, the steps, state and labels
/// its module produces, its config file. (Its inference form: <see cref="InferenceModelTests"/>; its ONNX graphs against
/// ONNX Runtime: <see cref="Interop.OnnxExportTests"/>; both over the same registry.)
/// </summary>
public sealed class ModelRegistryTests
{
    [Theory]
    [MemberData(nameof(ModelVariants.Registry), MemberType = typeof(ModelVariants))]
    public void EveryModelHasTheParameterCountItDeclares(string name)
    {
        var declaration = ModelRegistry.Get(name);
        using var model = ModelFactory.Create(declaration.DefaultConfig);
        Assert.Equal(declaration.Parameters, model.parameters().Sum(p => p.numel()));
    }

    [Theory]
    [MemberData(nameof(ModelVariants.Registry), MemberType = typeof(ModelVariants))]
    public void EveryModuleStepsAndKeepsStateAsItsDeclarationSays(string name)
    {
        using var scope = NewDisposeScope();
        var declaration = ModelRegistry.Get(name);
        var config = TestModels.Sized(name, width: 8) with { HiddenSize = 16 };
        using var model = ModelFactory.Create(config);
        model.eval();
        using var noGrad = no_grad();
        using var output = model.forward(randn(declaration.InputShape(config, 2), generator: new Generator(1)));

        var geometry = config.Geometry;
        Assert.Equal([geometry.StepsPerClip, 2, declaration.Task.Classes.Count], output.Logits.shape);
        Assert.Equal(declaration.IsRecurrent, model is IRecurrentModel);
        Assert.Equal(declaration.IsRecurrent ? [2, config.StateSize] : null, output.Hidden?.shape);
        Assert.Equal(declaration.IsRecurrent, config.StateSize > 0);
        Assert.InRange(geometry.Window, 1, config.ClipSamples);
        Assert.InRange(geometry.Hop, 1, config.ClipSamples);
        Assert.Equal(name, model.GetName());
    }

    [Theory]
    [MemberData(nameof(ModelVariants.Registry), MemberType = typeof(ModelVariants))]
    public void EveryDeclarationIsComplete(string name)
    {
        var declaration = ModelRegistry.Get(name);
        Assert.Same(declaration, ModelRegistry.Find(name));
        Assert.Equal(name, declaration.DefaultConfig.Variant);
        Assert.All([declaration.FrontEnd.Name, declaration.Trunk, declaration.Head], text => Assert.False(string.IsNullOrWhiteSpace(text)));
        Assert.NotEmpty(declaration.OutputModes);
        Assert.True(declaration.Macs(declaration.DefaultConfig) > 0);
        if (declaration.TableOne is { } row)
            Assert.All(row.Paper, paper => Assert.Contains(paper.Io, declaration.OutputModes));
        var config = declaration.DefaultConfig;
        Assert.Equal(config, ModelConfig.FromJson(config.ToJson()));
    }

    [Fact]
    public void NamesAreUniqueAndTheNineComeFirstInTheTablesOrder()
    {
        Assert.Equal(ModelRegistry.Names.Count, ModelRegistry.Names.Distinct().Count());
        Assert.Equal(
            ["cnn-basic", "cnn-se", "cnn-resse", "crnn-basic", "crnn-se", "crnn-resse", "tfcrnn-basic", "tfcrnn-se", "tfcrnn-resse"],
            ModelRegistry.Names.Take(9));
        Assert.All(ModelRegistry.All.Take(9), m => Assert.IsType<PaperModel>(m));
    }

    /// <summary>Table I from the registry: the nine's 15 configurations in the paper's order with the paper's figures.</summary>
    [Fact]
    public void TableOneIsTheNinesFifteenConfigurations()
    {
        Assert.Equal(
        [
            "cnn-basic many2one 94.63 (0.12)", "cnn-se many2one 95.33 (0.1)", "cnn-resse many2one 95.93 (0.08)",
            "crnn-basic many2one 94.86 (0.15)", "crnn-basic many2many 95.48 (0.21)",
            "crnn-se many2one 95.56 (0.12)", "crnn-se many2many 95.94 (0.12)",
            "crnn-resse many2one 95.95 (0.06)", "crnn-resse many2many 96.32 (0.22)",
            "tfcrnn-basic many2one 95.44 (0.02)", "tfcrnn-basic many2many 96.03 (0.12)",
            "tfcrnn-se many2one 95.51 (0.15)", "tfcrnn-se many2many 96.17 (0.14)",
            "tfcrnn-resse many2one 95.89 (0.22)", "tfcrnn-resse many2many 96.55 (0.11)",
        ], TableOne.Configurations.Take(15).Select(c => FormattableString.Invariant($"{c.Name} {c.PaperMean} ({c.PaperStd})")));
        Assert.Equal(["CNN Basic", "CRNN SE", "TF-CRNN TF-Res-SE"],
            new[] { 0, 5, 14 }.Select(i => $"{TableOne.Configurations[i].Family} {TableOne.Configurations[i].Block}"));
    }

    [Fact]
    public void InvalidConfigurationsThrowOneExceptionType()
    {
        Assert.Equal($"unknown model 'tfcrnn-xl'; expected one of: {string.Join(", ", ModelRegistry.Names)}",
            Assert.Throws<ModelConfigException>(() => ModelRegistry.Get("tfcrnn-xl")).Message);
        Assert.Throws<ModelConfigException>(() => ModelConfig.For("tfcrnn-xl"));
        Assert.StartsWith("unknown model 'tfcrnn-xl'",
            Assert.Throws<ModelConfigException>(() => ModelConfig.FromJson("""{"variant": "tfcrnn-xl"}""")).Message);
        Assert.Equal("width must be a positive multiple of 8, got 12",
            Assert.Throws<ModelConfigException>(() => (ModelConfig.For("cnn-se") with { Width = 12 }).Validate()).Message);
        Assert.Equal("classes 36 disagrees with the 2 labels",
            Assert.Throws<ModelConfigException>(() => ModelConfig.FromJson("""{"variant": "cnn-se", "labels": ["yes", "no"], "classes": 36}""")).Message);
        Assert.Contains("labels must be distinct",
            Assert.Throws<ModelConfigException>(() => ModelConfig.FromJson("""{"variant": "cnn-se", "labels": ["yes", "yes"]}""")).Message);
        Assert.Throws<ModelConfigException>(() => ModelConfig.FromJson("""{"width": 16}"""));
        Assert.Throws<ModelConfigException>(() => ModelConfig.FromJson("not json"));
    }
}
