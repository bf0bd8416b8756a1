using TfCrnn.Audio;
using TfCrnn.Data;

namespace TfCrnn.Synthesis;

/// <summary>
/// Long background recordings like the real dataset's <c>_background_noise_/</c> (six files of about a minute):
/// white, pink and brown noise, babble (several espeak-ng voices reading non-command sentences at once),
/// mains hum with hiss, and a fan. Each is deterministic for its random source and has an RMS of
/// <see cref="Rms"/>, so users set the level by mixing.
/// </summary>
internal static class BackgroundNoise
{
    /// <summary>The dataset's folder of background recordings.</summary>
    public const string Folder = "_background_noise_";

    /// <summary>RMS of every recording (-20 dBFS): room for the peaks of babble and hum.</summary>
    public const double Rms = 0.1;

    /// <summary>The recordings, in the order written (file names without <c>.wav</c>).</summary>
    public static readonly IReadOnlyList<string> Names = ["white_noise", "pink_noise", "brown_noise", "babble", "hum_and_hiss", "fan"];

    // Voices talking at once in babble: enough to blur into a murmur, few enough to stay speech-like.
    private const int BabbleVoices = 6;

    /// <summary>
    /// <paramref name="samples"/> samples (16 kHz) of the recording <paramref name="name"/>; babble is spoken by
    /// configurations drawn from <paramref name="babbleVoices"/>.
    /// </summary>
    internal static async Task<float[]> GenerateAsync(string name, int samples, Random random, VoiceSpeaker speaker,
        IReadOnlyList<VoiceConfiguration> babbleVoices, CancellationToken cancellationToken)
    {
        var noise = name switch
        {
            "white_noise" => NoiseGenerator.Generate(NoiseColor.White, samples, random),
            "pink_noise" => NoiseGenerator.Generate(NoiseColor.Pink, samples, random),
            "brown_noise" => NoiseGenerator.Generate(NoiseColor.Brown, samples, random),
            "babble" => await BabbleAsync(samples, random, speaker, babbleVoices, cancellationToken),
            "hum_and_hiss" => HumAndHiss(samples, random),
            "fan" => Fan(samples, random),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown background recording"),
        };
        Mixing.Scale(noise, Rms / Math.Max(Mixing.Rms(noise), 1e-12));
        return noise;
    }

    /// <summary>Several voices, each reading shuffled sentences from a random point of its reading, summed at levels within ±4 dB.</summary>
    private static async Task<float[]> BabbleAsync(int samples, Random random, VoiceSpeaker speaker, IReadOnlyList<VoiceConfiguration> voices,
        CancellationToken cancellationToken)
    {
        var babble = new float[samples];
        // About 2.5 s per sentence at espeak-ng's usual speeds.
        var sentences = Math.Max(1, (int)Math.Ceiling(samples / (2.5 * SpeechCommandsDataset.SampleRate)));
        for (var v = 0; v < BabbleVoices; v++)
        {
            var voice = VoiceCatalog.Draw(voices, random);
            var delivery = Delivery.Draw(random);
            var text = string.Join(" ", Enumerable.Range(0, sentences).Select(_ => Vocabulary.Sentences[random.Next(Vocabulary.Sentences.Count)]));
            var reading = await speaker.SayAsync(voice, delivery, text, int.MaxValue, cancellationToken);
            if (reading.Length == 0)
                continue;
            var gain = Mixing.DecibelsToGain(random.NextDouble() * 8 - 4) / Math.Max(Mixing.Rms(reading), 1e-12);
            var start = random.Next(reading.Length);
            for (var i = 0; i < samples; i++)
                babble[i] += (float)(gain * reading[(start + i) % reading.Length]);
        }
        return babble;
    }

    /// <summary>Mains hum (50 or 60 Hz and its harmonics, the even ones strongest as from a transformer) over pink hiss 15 dB below it.</summary>
    private static float[] HumAndHiss(int samples, Random random)
    {
        var mains = random.Next(2) == 0 ? 50.0 : 60.0;
        var hum = new float[samples];
        for (var harmonic = 1; harmonic <= 12; harmonic++)
        {
            var amplitude = (harmonic % 2 == 0 ? 1.0 : 0.4) / harmonic * (0.5 + random.NextDouble());
            var phase = random.NextDouble() * 2 * Math.PI;
            var step = 2 * Math.PI * mains * harmonic / SpeechCommandsDataset.SampleRate;
            for (var i = 0; i < samples; i++)
                hum[i] += (float)(amplitude * Math.Sin(phase + step * i));
        }
        Mixing.Scale(hum, 1 / Math.Max(Mixing.Rms(hum), 1e-12));
        var hiss = NoiseGenerator.Generate(NoiseColor.Pink, samples, random);
        var hissGain = (float)Mixing.DecibelsToGain(-15);
        for (var i = 0; i < samples; i++)
            hum[i] += hissGain * hiss[i];
        return hum;
    }

    /// <summary>A fan: low-passed airflow noise pulsing at the blade-pass rate (15-40 Hz) over a brown-noise rumble.</summary>
    private static float[] Fan(int samples, Random random)
    {
        var airflow = NoiseGenerator.Generate(NoiseColor.White, samples, random);
        var rumble = NoiseGenerator.Generate(NoiseColor.Brown, samples, random);
        var bladeRate = 15 + 25 * random.NextDouble();
        var depth = 0.2 + 0.2 * random.NextDouble();
        var fan = new float[samples];
        double lowPassed = 0;
        for (var i = 0; i < samples; i++)
        {
            // One-pole low-pass at about 1.5 kHz.
            lowPassed += 0.45 * (airflow[i] - lowPassed);
            var pulse = 1 + depth * Math.Sin(2 * Math.PI * bladeRate * i / SpeechCommandsDataset.SampleRate);
            fan[i] = (float)(pulse * lowPassed + 0.7 * rumble[i]);
        }
        return fan;
    }
}
