using TfCrnn.Models.Paper;
using TfCrnn.Models.SpeechEmbedding;

namespace TfCrnn.Models;

/// <summary>
/// Every model tfcrnn trains, each declared once (<see cref="ModelDeclaration"/>), in the spirit of kws_streaming's
/// <c>models.MODELS</c>: <c>train</c>, <c>info</c>, <c>table plan</c>, export and every reader of <c>config.json</c>
/// find a model here by its name. Adding a model is its declaration and its modules in a folder of their own, and one
/// line below (docs/adding-a-model.md).
/// </summary>
public static class ModelRegistry
{
    /// <summary>Every model: the paper's nine first, in Table I's order, then the heads over the speech embedding.</summary>
    public static IReadOnlyList<ModelDeclaration> All { get; } = [.. PaperModels.All, .. EmbeddingModels.All];

    /// <summary>The names of <see cref="All"/>, in its order.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. All.Select(m => m.Name)];

    private static readonly Dictionary<string, ModelDeclaration> ByName = All.ToDictionary(m => m.Name, StringComparer.Ordinal);

    /// <summary>The model named <paramref name="name"/>, or null.</summary>
    public static ModelDeclaration? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>The model named <paramref name="name"/>.</summary>
    /// <exception cref="ModelConfigException">No model has that name; the message lists the names.</exception>
    public static ModelDeclaration Get(string name) => Find(name) ?? throw new ModelConfigException(UnknownModel(name));

    /// <summary>The message for a name no model has.</summary>
    internal static string UnknownModel(string name) => $"unknown model '{name}'; expected one of: {string.Join(", ", Names)}";
}
