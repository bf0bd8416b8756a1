using TfCrnn.Audio;
using TfCrnn.Data;
using TfCrnn.Data.Augmentation;
using TfCrnn.Runtime;

namespace TfCrnn.Tests.Data;

/// <summary>Each augmentation does what it says, keeps the clip's length and is a pure function of its seed.</summary>
public class AugmentationTransformTests
{
    private const int Rate = 16000;

    private static readonly float[] DefaultWord = MakeWord(0.3, 0.7);

    /// <summary>A voiced "word": harmonics of 150 Hz with formant-like weights from 0.3 s to 0.7 s, in model-input scale.</summary>
    private static float[] Word(double start = 0.3, double end = 0.7) =>
        start == 0.3 && end == 0.7 ? (float[])DefaultWord.Clone() : MakeWord(start, end);

    private static float[] MakeWord(double start, double end)
    {
        var clip = new float[Preprocessing.ClipSamples];
        for (var i = (int)(start * Rate); i < (int)(end * Rate); i++)
        {
            var t = i / (double)Rate;
            double sample = 0;
            for (var h = 1; h <= 20; h++)
                sample += Math.Sin(2 * Math.PI * 150 * h * t) / (1 + Math.Abs(150 * h - 700) / 300.0);
            clip[i] = (float)(0.5 * sample);
        }
        return clip;
    }

    private static float[] Tone(double hz, double amplitude = 1)
    {
        var clip = new float[Preprocessing.ClipSamples];
        for (var i = 0; i < clip.Length; i++) clip[i] = (float)(amplitude * Math.Sin(2 * Math.PI * hz * i / Rate));
        return clip;
    }

    private static ClipAugmenter Only(string transform, double min, double max) =>
        new(AugmentationRecipe.None.Let(transform, new AugmentRange(min, max)), new NoiseSources());

    [Theory]
    [InlineData("wideshift")]
    [InlineData("speed")]
    [InlineData("pitch")]
    [InlineData("vtlp")]
    [InlineData("reverb")]
    [InlineData("noise")]
    [InlineData("bandlimit")]
    [InlineData("gain")]
    [InlineData("mask")]
    public void EachTransformIsAPureFunctionOfTheSeedAndChangesTheClip(string name)
    {
        var robust = AugmentationRecipe.Transforms.Single(t => t.Name == name).Get(AugmentationRecipe.Robust)!;
        var augmenter = Only(name, robust.Min, robust.Max);
        // Speech nearly everywhere, so that a mask cannot fall on silence only.
        float[] Run(int seed)
        {
            var clip = Word(0.02, 0.98);
            augmenter.Apply(clip, seed);
            return clip;
        }

        var first = Run(11);
        Assert.Equal(Preprocessing.ClipSamples, first.Length);
        Assert.All(first, s => Assert.True(float.IsFinite(s)));
        Assert.Equal(first, Run(11));
        Assert.NotEqual(first, Run(12));
        Assert.NotEqual(Word(0.02, 0.98), first);
    }

    [Fact]
    public void ProbabilityDecidesHowManyClipsChange()
    {
        var augmenter = new ClipAugmenter(AugmentationRecipe.None with { Gain = new AugmentRange(6, 6, 0.25) }, new NoiseSources());
        var word = Word();
        var changed = Enumerable.Range(0, 400).Count(seed =>
        {
            var clip = Word();
            augmenter.Apply(clip, seed);
            return !clip.SequenceEqual(word);
        });
        Assert.InRange(changed, 70, 130);
    }

    [Fact]
    public void SwitchingATransformOffLeavesTheOthersDrawsAlone()
    {
        var both = new ClipAugmenter(AugmentationRecipe.None with { Gain = new(-6, 6), Mask = new(20, 40) }, new NoiseSources());
        var maskOnly = new ClipAugmenter(AugmentationRecipe.None with { Mask = new(20, 40) }, new NoiseSources());
        var a = Word();
        var b = Word();
        both.Apply(a, 5);
        maskOnly.Apply(b, 5);
        Assert.Equal(a.Select(s => s == 0), b.Select(s => s == 0));
    }

    [Theory]
    [InlineData(NoiseKind.White, 0)]
    [InlineData(NoiseKind.Pink, 5)]
    [InlineData(NoiseKind.Brown, 10)]
    [InlineData(NoiseKind.Babble, 20)]
    [InlineData(NoiseKind.Recording, -5)]
    public void NoiseIsMixedAtTheRequestedSnr(NoiseKind kind, double snr)
    {
        var speech = Enumerable.Range(0, 6).Select(i => Word(0.1 + 0.05 * i, 0.5 + 0.05 * i)).ToArray();
        var recording = NoiseGenerator.Generate(NoiseColor.Pink, 40000, new Random(2));
        var sources = new NoiseSources([recording], i => speech[i], speech.Length, [kind]);
        var augmenter = new ClipAugmenter(AugmentationRecipe.None with { Noise = new(snr, snr) }, sources);
        for (var seed = 0; seed < 5; seed++)
        {
            var clean = Word();
            var mixed = Word();
            augmenter.Apply(mixed, seed);
            var added = mixed.Zip(clean, (m, c) => m - c).ToArray();
            var measured = 20 * Math.Log10(SpeechLevel.ActiveRms(clean) / Mixing.Rms(added));
            Assert.InRange(measured, snr - 0.5, snr + 0.5);
        }
    }

    [Fact]
    public void BabbleAndRecordingsAreUsedOnlyWhenAvailable()
    {
        Assert.Equal([NoiseKind.White, NoiseKind.Pink, NoiseKind.Brown], new NoiseSources().Kinds);
        float[][] speech = [Word(), Word(), Word()];
        Assert.Equal(Enum.GetValues<NoiseKind>(), new NoiseSources([new float[100]], i => speech[i], 3).Kinds);
        Assert.Throws<TfCrnnException>(() => new NoiseSources(kinds: [NoiseKind.Recording]));
    }

    [Fact]
    public void GainScalesByTheDrawnDecibels()
    {
        var clip = Word();
        Only("gain", -6, -6).Apply(clip, 3);
        var expected = Word().Select(s => s * (float)Math.Pow(10, -6 / 20.0));
        Assert.Equal(expected, clip);
    }

    [Fact]
    public void WideShiftMovesTheContentWithinItsBounds()
    {
        var augmenter = Only("wideshift", -50, 50);
        var original = Word();
        var first = Array.FindIndex(original, s => s != 0);
        var moves = new HashSet<int>();
        for (var seed = 0; seed < 20; seed++)
        {
            var clip = Word();
            augmenter.Apply(clip, seed);
            var move = Array.FindIndex(clip, s => s != 0) - first;
            Assert.InRange(move, -800, 800);
            var expected = Word();
            TimeEdits.Shift(expected, move);
            Assert.Equal(expected, clip);
            moves.Add(move);
        }
        Assert.True(moves.Count > 10);

        float[] edge = [1, 2, 3, 4, 5];
        TimeEdits.Shift(edge, 2);
        Assert.Equal([0f, 0, 1, 2, 3], edge);
        TimeEdits.Shift(edge, -3);
        Assert.Equal([2f, 3, 0, 0, 0], edge);
    }

    /// <summary>Samples from the first to the last one above 10 % of the peak.</summary>
    private static int Duration(float[] clip)
    {
        var threshold = 0.1f * clip.Max(Math.Abs);
        return Array.FindLastIndex(clip, s => Math.Abs(s) > threshold) - Array.FindIndex(clip, s => Math.Abs(s) > threshold);
    }

    [Theory]
    [InlineData(0.8)]
    [InlineData(1.25)]
    public void SpeedChangesTheDurationAboutTheCentre(double factor)
    {
        var clip = Word();
        TempoAndPitch.ChangeSpeed(clip, factor);
        Assert.InRange(Duration(clip), 6400 / factor * 0.98, 6400 / factor * 1.02);
        Assert.InRange(Centre(clip), 7900, 8100);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(-4)]
    public void PitchMovesTheFrequencyButNotTheDuration(double semitones)
    {
        var clip = Word(0.2, 0.8);
        TempoAndPitch.ShiftPitch(clip, semitones);
        Assert.InRange(Duration(clip), 9600 * 0.95, 9600 * 1.05);
        var ratio = Math.Pow(2, semitones / 12);
        // The strongest harmonic, 750 Hz, moves with the pitch.
        Assert.InRange(PeakFrequency(clip, 0.3, 0.7), 750 * ratio * 0.97, 750 * ratio * 1.03);
    }

    [Fact]
    public void VtlpMovesTheFormantsButNotThePitch()
    {
        var clip = Word();
        FrequencyWarp.Apply(clip, 1);
        Assert.All(clip.Zip(Word()), p => Assert.Equal(p.Second, p.First, 1e-4));

        // The envelope (its centroid) moves by about α; the harmonics of 150 Hz stay where they were.
        var centroid = Centroid(Word(0.2, 0.8));
        foreach (var alpha in new[] { 0.9, 1.1 })
        {
            var warped = Word(0.2, 0.8);
            FrequencyWarp.Apply(warped, alpha);
            var (slight, strong) = (1 + (alpha - 1) * 0.5, 1 + (alpha - 1) * 1.5);
            Assert.InRange(Centroid(warped) / centroid, Math.Min(slight, strong), Math.Max(slight, strong));
            var peak = PeakFrequency(warped, 0.3, 0.7);
            Assert.InRange(Math.Abs(peak - 150 * Math.Round(peak / 150)), 0, 4);
        }
    }

    /// <summary>The power-weighted mean frequency of 0.3–0.7 s below 4 kHz.</summary>
    private static double Centroid(float[] clip)
    {
        var (re, im) = Spectrum(clip, 0.3, 0.7);
        var bins = Enumerable.Range(1, re.Length / 4).ToList();
        return bins.Sum(k => k * (re[k] * re[k] + im[k] * im[k])) / bins.Sum(k => re[k] * re[k] + im[k] * im[k]) * Rate / re.Length;
    }

    [Fact]
    public void ReverberationLeavesADecayingTailAtTheRequestedRt60AndKeepsTheLevel()
    {
        const double rt60 = 0.4;
        var decays = new List<double>();
        for (var seed = 0; seed < 4; seed++)
        {
            var clip = new float[Preprocessing.ClipSamples];
            clip[2000] = 1;
            var response = Reverberation.ImpulseResponse(rt60, new Random(seed));
            Assert.Equal((int)(rt60 * Rate), response.Length);
            Reverberation.Apply(clip, response);
            Assert.Equal(1 / Math.Sqrt(clip.Length), Mixing.Rms(clip), 1e-4);
            Assert.All(clip[..2000], s => Assert.True(Math.Abs(s) < 1e-6));
            // Energy 50-150 ms against 150-250 ms after the click: 60 dB per RT60, so 15 dB over 100 ms.
            double Energy(double from, double to) => clip[(2000 + (int)(from * Rate))..(2000 + (int)(to * Rate))].Sum(s => (double)s * s);
            decays.Add(10 * Math.Log10(Energy(0.05, 0.15) / Energy(0.15, 0.25)));
        }
        Assert.InRange(decays.Average(), 15 * 0.75, 15 * 1.25);
    }

    [Fact]
    public void BandLimitAttenuatesOutOfBandEnergy()
    {
        double After(double hz)
        {
            var clip = Tone(hz);
            BandLimit.Apply(clip, 300, 3400);
            return 20 * Math.Log10(Mixing.Rms(clip.AsSpan(4000)) / Mixing.Rms(Tone(hz).AsSpan(4000)));
        }
        Assert.InRange(After(1000), -1, 0.5);
        Assert.True(After(100) < -30, $"100 Hz: {After(100):F1} dB");
        Assert.True(After(6000) < -25, $"6 kHz: {After(6000):F1} dB");
    }

    [Fact]
    public void MasksZeroWhatTheySay()
    {
        float[] ramp = [.. Enumerable.Range(1, 10).Select(i => (float)i)];
        TimeEdits.Mask(ramp, 3, 4);
        Assert.Equal([1f, 2, 3, 0, 0, 0, 0, 8, 9, 10], ramp);
        TimeEdits.Mask(ramp, 8, 5);
        Assert.Equal([1f, 2, 3, 0, 0, 0, 0, 8, 0, 0], ramp);

        var augmenter = Only("mask", 20, 30);
        for (var seed = 0; seed < 10; seed++)
        {
            var clip = Enumerable.Repeat(1f, Preprocessing.ClipSamples).ToArray();
            augmenter.Apply(clip, seed);
            var zeros = clip.Count(s => s == 0);
            Assert.InRange(zeros, 320, 960);
            Assert.All(clip, s => Assert.True(s is 0 or 1));
        }
    }

    [Fact]
    public void NeighboursAddAnotherClipsSpeechOutsideTheClipsOwnBeyondTheGap()
    {
        // The pool's words lie at 0.1–0.5 s, the clip's at 0.4–0.6 s (samples 6,400–9,600); the gap is 100 ms.
        var pool = new NoiseSources(speech: _ => MakeWord(0.1, 0.5).Select(s => s / Preprocessing.InputScale).ToArray(), speechCount: 3);
        var augmenter = new ClipAugmenter(AugmentationRecipe.None with { Neighbours = new(100, 100) }, pool);
        var word = Word(0.4, 0.6);
        var sides = new HashSet<string>();
        for (var seed = 0; seed < 20; seed++)
        {
            var clip = Word(0.4, 0.6);
            augmenter.Apply(clip, seed);
            var again = Word(0.4, 0.6);
            augmenter.Apply(again, seed);
            Assert.Equal(clip, again);
            Assert.Equal(Preprocessing.ClipSamples, clip.Length);
            Assert.Equal(word.AsSpan(6400, 3200).ToArray(), clip.AsSpan(6400, 3200).ToArray());
            Assert.All(clip.AsSpan(4800, 1600).ToArray(), s => Assert.Equal(0, s));
            Assert.All(clip.AsSpan(9600, 1600).ToArray(), s => Assert.Equal(0, s));
            var before = clip.AsSpan(0, 4800).ToArray();
            var after = clip.AsSpan(11200).ToArray();
            var added = before.Any(s => s != 0) ? before : after;
            Assert.True(added.Any(s => s != 0), $"seed {seed}: no neighbour");
            Assert.True(before.All(s => s == 0) || after.All(s => s == 0), $"seed {seed}: one neighbour per clip");
            sides.Add(added == before ? "before" : "after");
            var levelDb = 20 * Math.Log10(Mixing.Rms(added.Where(s => s != 0).ToArray()) / Mixing.Rms(word.AsSpan(6400, 3200).ToArray()));
            Assert.InRange(levelDb, -6.5, 6.5);
        }
        Assert.Equal(2, sides.Count);
    }

    private static double Centre(float[] clip)
    {
        double weight = 0, sum = 0;
        for (var i = 0; i < clip.Length; i++)
        {
            weight += clip[i] * clip[i];
            sum += i * (double)clip[i] * clip[i];
        }
        return sum / weight;
    }

    /// <summary>The frequency of the largest FFT bin between <paramref name="from"/> and <paramref name="to"/> seconds.</summary>
    private static double PeakFrequency(float[] clip, double from, double to)
    {
        var (re, im) = Spectrum(clip, from, to);
        var best = Enumerable.Range(1, re.Length / 2 - 1).MaxBy(k => re[k] * re[k] + im[k] * im[k]);
        return best * (double)Rate / re.Length;
    }

    /// <summary>The Hann-windowed 4,096-point spectrum of the stretch from <paramref name="from"/> to <paramref name="to"/> seconds.</summary>
    private static (double[] Re, double[] Im) Spectrum(float[] clip, double from, double to)
    {
        const int n = 4096;
        var start = (int)(from * Rate);
        var length = Math.Min(n, (int)((to - from) * Rate));
        var re = new double[n];
        var im = new double[n];
        for (var i = 0; i < length; i++)
            re[i] = clip[start + i] * (0.5 - 0.5 * Math.Cos(2 * Math.PI * i / length));
        Fourier.Transform(re, im, inverse: false);
        return (re, im);
    }
}

internal static class RecipeTestExtensions
{
    public static AugmentationRecipe Let(this AugmentationRecipe recipe, string transform, AugmentRange range) =>
        AugmentationRecipe.Transforms.Single(t => t.Name == transform).Set(recipe, range);
}
