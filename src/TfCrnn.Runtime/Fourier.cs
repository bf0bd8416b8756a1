using System.Collections.Concurrent;

namespace TfCrnn.Runtime;

/// <summary>In-place complex FFT of a power-of-two length (iterative radix-2), for the augmentations' filters and the log-mel front end.</summary>
internal static class Fourier
{
    private static readonly ConcurrentDictionary<int, Plan> Plans = new();

    /// <summary>Transforms (<paramref name="re"/>, <paramref name="im"/>) in place: X[k] = Σ x[n]·e^(∓2πikn/N), unscaled both ways.</summary>
    public static void Transform(Span<double> re, Span<double> im, bool inverse)
    {
        var n = re.Length;
        if (im.Length != n || n == 0 || (n & (n - 1)) != 0)
            throw new ArgumentException($"the FFT needs two spans of one power-of-two length, got {re.Length} and {im.Length}");
        var plan = Plans.GetOrAdd(n, static n => new Plan(n));
        var reverse = plan.BitReverse;
        for (var i = 0; i < n; i++)
        {
            var j = reverse[i];
            if (j > i)
            {
                (re[i], re[j]) = (re[j], re[i]);
                (im[i], im[j]) = (im[j], im[i]);
            }
        }
        var sign = inverse ? -1.0 : 1.0;
        unsafe
        {
            fixed (double* r = re, m = im, cos = plan.Cos, sin = plan.Sin)
            {
                for (var half = 1; half < n; half <<= 1)
                {
                    // This stage's twiddles sit contiguously at [half − 1, 2·half − 1).
                    var wc = cos + half - 1;
                    var ws = sin + half - 1;
                    for (var start = 0; start < n; start += 2 * half)
                    {
                        var ra = r + start;
                        var ma = m + start;
                        var rb = ra + half;
                        var mb = ma + half;
                        for (var k = 0; k < half; k++)
                        {
                            var wr = wc[k];
                            var wi = sign * ws[k];
                            var tr = rb[k] * wr + mb[k] * wi;
                            var ti = mb[k] * wr - rb[k] * wi;
                            rb[k] = ra[k] - tr;
                            mb[k] = ma[k] - ti;
                            ra[k] += tr;
                            ma[k] += ti;
                        }
                    }
                }
            }
        }
    }

    /// <summary>The smallest power of two that is at least <paramref name="length"/>.</summary>
    public static int Size(int length) => length <= 1 ? 1 : (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)length);

    private sealed class Plan
    {
        public Plan(int n)
        {
            var bits = System.Numerics.BitOperations.Log2((uint)n);
            BitReverse = new int[n];
            for (var i = 0; i < n; i++)
            {
                var r = 0;
                for (var b = 0; b < bits; b++)
                    r |= (i >> b & 1) << (bits - 1 - b);
                BitReverse[i] = r;
            }
            // Stage by stage (half = 1, 2, 4, ...): cos and sin of 2πk / (2·half) for k < half, at [half − 1, 2·half − 1).
            Cos = new double[Math.Max(1, n - 1)];
            Sin = new double[Math.Max(1, n - 1)];
            for (var half = 1; half < n; half <<= 1)
                for (var k = 0; k < half; k++)
                {
                    Cos[half - 1 + k] = Math.Cos(Math.PI * k / half);
                    Sin[half - 1 + k] = Math.Sin(Math.PI * k / half);
                }
        }

        public int[] BitReverse { get; }
        public double[] Cos { get; }
        public double[] Sin { get; }
    }
}
