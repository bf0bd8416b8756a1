using System.ComponentModel;
using System.Diagnostics;
using TfCrnn.Audio;
using TfCrnn.Data;

namespace TfCrnn.Synthesis;

/// <summary>Runs the espeak-ng executable: one process per utterance, its WAV read from stdout.</summary>
internal static class EspeakNg
{
    public const string MissingMessage = "espeak-ng not found; install it with: sudo apt-get install espeak-ng";

    /// <summary>Throws the install hint when <paramref name="espeak"/> cannot be started.</summary>
    public static async Task CheckAsync(string espeak, CancellationToken cancellationToken)
    {
        try
        {
            using var process = Process.Start(StartInfo(espeak, ["--version"]))!;
            await process.StandardOutput.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (Win32Exception)
        {
            throw new TfCrnnException(MissingMessage);
        }
    }

    /// <summary>What espeak-ng says for <paramref name="arguments"/> (which must include <c>--stdout</c>), mono at 16 kHz.</summary>
    public static async Task<float[]> SpeakAsync(string espeak, IEnumerable<string> arguments, string nameForErrors, CancellationToken cancellationToken)
    {
        using var process = Process.Start(StartInfo(espeak, arguments))!;
        using var wav = new MemoryStream();
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.StandardOutput.BaseStream.CopyToAsync(wav, cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
            throw new TfCrnnException($"{nameForErrors}: espeak-ng failed with exit code {process.ExitCode}: {(await errors).Trim()}");
        wav.Position = 0;
        var audio = WavFile.Read(wav, nameForErrors);
        return Resampler.Resample(audio.MixDown(), audio.SampleRate, SpeechCommandsDataset.SampleRate);
    }

    /// <summary>The text espeak-ng prints on stdout for <paramref name="arguments"/> (phonemes with <c>-q -x</c>, voice lists).</summary>
    public static async Task<string> TextAsync(string espeak, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        using var process = Process.Start(StartInfo(espeak, arguments))!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
            throw new TfCrnnException($"espeak-ng {string.Join(' ', arguments)} failed with exit code {process.ExitCode}: {(await errors).Trim()}");
        return await output;
    }

    /// <summary>Starts <paramref name="executable"/> with its output and errors redirected (no shell).</summary>
    internal static ProcessStartInfo StartInfo(string executable, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        return info;
    }
}
