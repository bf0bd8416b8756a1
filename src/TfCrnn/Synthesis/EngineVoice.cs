using System.Diagnostics;
using System.Globalization;
using TfCrnn.Audio;
using TfCrnn.Data;

namespace TfCrnn.Synthesis;

/// <summary>The synthesisers other than espeak-ng whose English voices the catalogue uses when they are installed.</summary>
internal enum SpeechEngine
{
    /// <summary>SVOX Pico (<c>pico2wave</c>, Debian <c>libttspico-utils</c>): a small unit-selection synthesiser, en-US and en-GB.</summary>
    Pico,

    /// <summary>RHVoice (<c>RHVoice-test</c>, Debian <c>rhvoice</c> and <c>rhvoice-english</c>): statistical parametric (HTS) voices trained on recorded speakers.</summary>
    RHVoice,
}

/// <summary>
/// A voice of <see cref="SpeechEngine"/>: another synthesiser than espeak-ng, with speakers of its own. Neither engine
/// has espeak-ng's variants; a configuration's variant is one of <see cref="PitchVariants"/>, the engine's base pitch
/// in percent of the voice's own, and each clip's <see cref="Delivery"/> moves rate and pitch around it.
/// </summary>
/// <param name="Voice">The catalogue's name (<c>pico-en-us</c>, <c>rhvoice-slt</c>).</param>
/// <param name="Engine">The synthesiser.</param>
/// <param name="EngineName">The engine's own name of the voice: Pico's language (<c>en-US</c>), RHVoice's profile (<c>slt</c>).</param>
internal sealed record EngineVoice(string Voice, SpeechEngine Engine, string EngineName)
{
    /// <summary>
    /// The variants of every engine voice: base pitch 70-135 % of the voice's own (both engines scale the fundamental
    /// by the percentage: measured 166 → 82/247 Hz at 50/150 % for RHVoice's slt, 152 → 76/211 Hz for Pico's en-US).
    /// </summary>
    public static readonly IReadOnlyList<string> PitchVariants = ["pitch-70", "pitch-80", "pitch-90", "pitch-100", "pitch-110", "pitch-120", "pitch-135"];

    // Each engine's accepted range of rate and pitch in percent (Pico's <speed> and <pitch> levels; RHVoice-test's -r
    // and -t, whose rate stops rising at 300).
    private const int MinPercent = 50;
    private const int MaxRatePercent = 300;
    private const int MaxPitchPercent = 200;

    /// <summary>The executable that speaks.</summary>
    public string Executable => Engine == SpeechEngine.Pico ? "pico2wave" : "RHVoice-test";

    /// <summary>The Debian packages that install the voice (in Debian's non-free component).</summary>
    public string Packages => Engine == SpeechEngine.Pico ? "libttspico-utils" : "rhvoice and rhvoice-english";

    /// <summary>The engine's name for users.</summary>
    public string EngineTitle => Engine == SpeechEngine.Pico ? "SVOX Pico" : "RHVoice";

    /// <summary>The voice's data, where Debian's packages put it.</summary>
    public string DataPath => Engine == SpeechEngine.Pico ? $"/usr/share/pico/lang/{EngineName}_ta.bin" : $"/usr/share/RHVoice/voices/{EngineName}";

    /// <summary>Whether the executable is on PATH and the voice's data is installed.</summary>
    public bool IsInstalled() => (File.Exists(DataPath) || Directory.Exists(DataPath)) && OnPath(Executable);

    /// <summary>
    /// What the voice says for <paramref name="text"/> with <paramref name="delivery"/> at base pitch
    /// <paramref name="variant"/> (one of <see cref="PitchVariants"/>), mono at 16 kHz. Both engines write only to a
    /// file (Pico) or a WAV whose header has no length (RHVoice on stdout), so the speech goes through a temporary file.
    /// </summary>
    public async Task<float[]> SpeakAsync(string variant, Delivery delivery, string text, CancellationToken cancellationToken)
    {
        var rate = Math.Clamp((int)Math.Round(100 * delivery.RelativeRate), MinPercent, MaxRatePercent);
        var pitch = Math.Clamp((int)Math.Round(BasePitch(variant) * (100 + delivery.PitchPercent) / 100.0), MinPercent, MaxPitchPercent);
        var said = text + delivery.Ending;
        var wav = Path.Combine(Path.GetTempPath(), $"tfcrnn-{Engine.ToString().ToLowerInvariant()}-{Guid.NewGuid():N}.wav");
        try
        {
            // Pico reads its own markup in the text (only <, > and & need escaping in it); RHVoice-test reads plain text on stdin.
            IReadOnlyList<string> arguments = Engine == SpeechEngine.Pico
                ? ["-l", EngineName, "-w", wav, $"<speed level=\"{rate}\"><pitch level=\"{pitch}\">{EscapeMarkup(said)}</pitch></speed>"]
                : ["-p", EngineName, "-r", $"{rate}", "-t", $"{pitch}", "-o", wav];
            await RunAsync(arguments, Engine == SpeechEngine.RHVoice ? said : null, text, cancellationToken);
            return WavFile.ReadMono(wav, SpeechCommandsDataset.SampleRate);
        }
        finally
        {
            File.Delete(wav);
        }
    }

    /// <summary>The base pitch in percent that <paramref name="variant"/> names.</summary>
    internal static int BasePitch(string variant) => int.Parse(variant.AsSpan("pitch-".Length), CultureInfo.InvariantCulture);

    private async Task RunAsync(IReadOnlyList<string> arguments, string? input, string text, CancellationToken cancellationToken)
    {
        var info = EspeakNg.StartInfo(Executable, arguments);
        info.RedirectStandardInput = true;
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.StandardInput.WriteAsync(input ?? "");
        process.StandardInput.Close();
        await process.WaitForExitAsync(cancellationToken);
        await output;
        if (process.ExitCode != 0)
            throw new TfCrnnException($"{EngineTitle} output for '{text}' ({Voice}): {Executable} failed with exit code {process.ExitCode}: {(await errors).Trim()}");
    }

    private static string EscapeMarkup(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static bool OnPath(string executable) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, executable)));
}
