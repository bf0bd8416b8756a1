using System.Text.Json;
using TfCrnn.Data.Augmentation;
using TfCrnn.Training;

namespace TfCrnn.Tests.Data;

public class AugmentationRecipeTests
{
    [Fact]
    public void PresetsAreThePapersShiftEverythingAndNothing()
    {
        Assert.Equal(AugmentationRecipe.Paper, AugmentationRecipe.Parse("paper"));
        Assert.True(AugmentationRecipe.Paper.Shift);
        Assert.False(AugmentationRecipe.Paper.HasTransforms);
        Assert.Equal(AugmentationRecipe.None, AugmentationRecipe.Parse("none"));
        Assert.False(AugmentationRecipe.None.Shift);
        var robust = AugmentationRecipe.Parse("robust");
        Assert.Equal(AugmentationRecipe.Robust, robust);
        Assert.All(AugmentationRecipe.Transforms, t => Assert.NotNull(t.Get(robust)));
        Assert.Equal(AugmentationRecipe.Paper, new TrainingOptions { DataPath = "", Variant = "", OutputDirectory = "" }.Augmentation);
    }

    [Fact]
    public void ChangesSwitchAndTuneSingleTransforms()
    {
        var recipe = AugmentationRecipe.Parse("robust,-reverb,noise=5:20@0.5,-shift");
        Assert.Null(recipe.Reverb);
        Assert.False(recipe.Shift);
        Assert.Equal(new AugmentRange(5, 20, 0.5), recipe.Noise);
        Assert.Equal(AugmentationRecipe.Robust.Speed, recipe.Speed);

        // Without a preset, changes apply to the paper's recipe; an enabled transform starts at robust's settings.
        var paperPlus = AugmentationRecipe.Parse("+noise,gain=3,mask@0.25");
        Assert.True(paperPlus.Shift);
        Assert.Equal(AugmentationRecipe.Robust.Noise, paperPlus.Noise);
        Assert.Equal(new AugmentRange(3, 3, AugmentationRecipe.Robust.Gain!.Probability), paperPlus.Gain);
        Assert.Equal(AugmentationRecipe.Robust.Mask! with { Probability = 0.25 }, paperPlus.Mask);
        Assert.Null(paperPlus.Reverb);
        Assert.Equal(new AugmentRange(1, 2, 0.3), AugmentationRecipe.Parse("none, speed@0.3=1:2").Speed);
    }

    [Theory]
    [InlineData("paper")]
    [InlineData("robust")]
    [InlineData("none")]
    [InlineData("robust,-reverb,noise=5:20@0.5,-shift")]
    [InlineData("none,+gain=-3:3,mask=50@0.1")]
    [InlineData("paper,+speed,+vtlp=0.9:1.1")]
    public void TheSpecReadsBackAsTheSameRecipe(string spec)
    {
        var recipe = AugmentationRecipe.Parse(spec);
        Assert.Equal(recipe, AugmentationRecipe.Parse(recipe.ToString()));
    }

    [Fact]
    public void TheSpecIsTheShortestSpelling()
    {
        Assert.Equal("paper", AugmentationRecipe.Parse("none,+shift").ToString());
        Assert.Equal("robust,-reverb", AugmentationRecipe.Parse("robust,-reverb").ToString());
        Assert.Equal("none,+gain", AugmentationRecipe.Parse("none,gain").ToString());
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("robust,,-reverb", "empty item")]
    [InlineData("-reverb,robust", "must come first")]
    [InlineData("robust,echo", "unknown transform 'echo'")]
    [InlineData("noise=5:x", "noise=MIN:MAX")]
    [InlineData("noise=1:2:3", "noise=MIN:MAX")]
    [InlineData("noise=20:5", "noise: the range 20:5")]
    [InlineData("speed=0.1:3", "speed: the range 0.1:3 must lie within 0.5:2")]
    [InlineData("gain@0", "gain: the probability must be above 0")]
    [InlineData("gain@1.5", "gain: the probability")]
    [InlineData("gain@x", "gain@P")]
    [InlineData("-noise=5:20", "switched off takes no range")]
    [InlineData("shift=1:2", "shift (the paper's ±5 ms) takes no range")]
    public void BadSpecsNameTheProblem(string spec, string message)
    {
        var error = Assert.Throws<TfCrnnException>(() => AugmentationRecipe.Parse(spec));
        Assert.StartsWith("--augment: ", error.Message);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void TrainingOptionsValidateTheRecipeAndKeepItInConfigJson()
    {
        var options = new TrainingOptions { DataPath = "d", Variant = "tfcrnn-se", OutputDirectory = "o", Augmentation = AugmentationRecipe.Parse("robust,-reverb") };
        var json = JsonSerializer.Serialize(options, RunFolder.Json);
        Assert.Contains("\"augmentation\"", json);
        Assert.DoesNotContain("has_transforms", json);
        Assert.Equal(options.Augmentation, JsonSerializer.Deserialize<TrainingOptions>(json, RunFolder.Json)!.Augmentation);

        // A config.json written before augmentation existed reads as the paper's recipe.
        var old = JsonSerializer.Deserialize<TrainingOptions>("{\"data_path\": \"d\", \"variant\": \"tfcrnn-se\", \"output_directory\": \"o\"}", RunFolder.Json)!;
        Assert.Equal(AugmentationRecipe.Paper, old.Augmentation);

        var bad = options with { Augmentation = AugmentationRecipe.Paper with { Noise = new AugmentRange(5, 100) } };
        Assert.Contains("noise", Assert.Throws<TfCrnnException>(() => bad.Validate()).Message);
    }
}
