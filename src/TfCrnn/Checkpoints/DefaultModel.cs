namespace TfCrnn.Checkpoints;

/// <summary>
/// The model that ships with tfcrnn (<c>models/default/</c> in the repository, copied beside the program when it is
/// built): what <c>predict</c> and <c>stream</c> use when no <c>--checkpoint</c> is given. Its <c>MODEL.md</c>
/// records the commands, seed and data recipe that made it.
/// </summary>
internal static class DefaultModel
{
    /// <summary>Where the build puts the default model, relative to the program's folder.</summary>
    public const string RelativeDirectory = "models/default";

    /// <summary>The default model folder of this build.</summary>
    public static string Directory => Path.Combine(AppContext.BaseDirectory, RelativeDirectory);

    /// <summary><see cref="Directory"/>, or null when this build carries no default model.</summary>
    public static string? Locate() => File.Exists(Path.Combine(Directory, ModelFolder.ConfigFile)) ? Directory : null;

    /// <summary><paramref name="checkpoint"/>, or the default model when it is null.</summary>
    /// <exception cref="OptionException">No checkpoint given and this build carries no default model.</exception>
    public static string Resolve(string? checkpoint) => checkpoint ?? Locate() ??
        throw new OptionException("--checkpoint", $"is required: this build carries no default model ({Directory} is missing)");
}
