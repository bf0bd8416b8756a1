namespace TfCrnn.Data;

/// <summary>Independent deterministic random streams from one user seed.</summary>
internal static class Seeds
{
    /// <summary>A well-spread non-negative 32-bit seed for <see cref="Random"/> from (seed, stream): SplitMix64's finaliser.</summary>
    public static int Mix(int seed, long stream)
    {
        var z = ((ulong)(uint)seed << 32 ^ (ulong)stream) + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (int)((z ^ (z >> 31)) & int.MaxValue);
    }
}
