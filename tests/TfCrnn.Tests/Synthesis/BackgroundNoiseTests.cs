using TfCrnn.Audio;
using TfCrnn.Synthesis;

namespace TfCrnn.Tests.Synthesis;

public class BackgroundNoiseTests
{
    private static readonly VoiceConfiguration[] Voices = [new("en-us", "m1"), new("en-gb", "f2")];

    [Fact]
    public async Task TheReaderSpeaksOneSentenceAtATimeWithPausesAndBabbleNeverPauses()
    {
        var speaker = new EspeakSpeaker("espeak-ng");
        const int samples = 8 * 16000;
        var reading = await BackgroundNoise.GenerateAsync("reading", samples, new Random(5), speaker, Voices, default);
        var babble = await BackgroundNoise.GenerateAsync("babble", samples, new Random(5), speaker, Voices, default);

        Assert.Equal(samples, reading.Length);
        Assert.InRange(Mixing.Rms(reading), 0.099, 0.101);
        // The reader pauses at least 200 ms between sentences; six voices at once leave no such gap.
        Assert.True(LongestQuiet(reading) >= 3200, $"longest quiet stretch {LongestQuiet(reading)} samples");
        Assert.True(LongestQuiet(babble) < 3200, $"babble is quiet for {LongestQuiet(babble)} samples");
        Assert.Equal(reading, await BackgroundNoise.GenerateAsync("reading", samples, new Random(5), speaker, Voices, default));
    }

    private static int LongestQuiet(float[] audio)
    {
        int longest = 0, run = 0;
        foreach (var x in audio)
        {
            run = Math.Abs(x) < 1e-3f ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }
        return longest;
    }
}
