using NAudio.Dsp;

namespace TfCrnn.Audio;

/// <summary>Sample-rate conversion of a mono signal with NAudio's port of the Cockos WDL sinc resampler.</summary>
internal static class Resampler
{
    public static float[] Resample(float[] samples, int fromRate, int toRate)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(fromRate, 0);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(toRate, 0);
        if (fromRate == toRate || samples.Length == 0)
            return (float[])samples.Clone();

        var resampler = new WdlResampler();
        resampler.SetMode(true, 2, true);
        resampler.SetFilterParms();
        // Input-driven: we hand over everything we have and collect whatever comes out.
        resampler.SetFeedMode(true);
        resampler.SetRates(fromRate, toRate);

        var expected = (int)Math.Round((long)samples.Length * toRate / (double)fromRate);
        var output = new List<float>(expected + 64);
        const int block = 1024;
        // Room for everything one input block can produce, whatever the ratio.
        var chunk = new float[(int)Math.Ceiling(block * (double)toRate / fromRate) + 256];
        var position = 0;
        // A zero tail flushes the filter's latency so that the end of the signal comes out too.
        var flush = (int)Math.Ceiling(resampler.GetCurrentLatency() * fromRate) + 256;
        var total = samples.Length + flush;
        while (position < total)
        {
            var count = Math.Min(block, total - position);
            var wanted = resampler.ResamplePrepare(count, 1, out var input, out var inputOffset);
            var take = Math.Min(wanted, count);
            for (var i = 0; i < take; i++)
            {
                var source = position + i;
                input[inputOffset + i] = source < samples.Length ? samples[source] : 0f;
            }
            position += take;
            var produced = resampler.ResampleOut(chunk, 0, take, chunk.Length, 1);
            output.AddRange(chunk.AsSpan(0, produced));
        }

        // The output is aligned with the input; the flushed tail only completes its last samples.
        var result = new float[expected];
        output.CopyTo(0, result, 0, Math.Min(expected, output.Count));
        return result;
    }
}
