namespace TfCrnn.Data.Augmentation;

/// <summary>
/// Draws an item of a pool by content rather than by index (consistent hashing): each item sits on a ring at its content
/// key, and a draw takes the first item at or after a random point. The same draw then picks the same item from any pool
/// that still holds it and gained no item between the point and it, so that augmented copies drawn from two datasets
/// that share most clips and noise recordings (the folds of a cross-validation) mostly come out the same, and are
/// embedded once (<see cref="ClipCopies"/>); <c>random.Next(count)</c> would pick another item whenever the pool's size
/// differs.
/// </summary>
internal sealed class ContentRing
{
    private readonly ulong[] points;
    private readonly int[] items;

    /// <param name="keys">The content key of each item (e.g. the first 64 bits of a hash of its samples); item i is index i.</param>
    public ContentRing(IReadOnlyList<ulong> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0) throw new ArgumentException("a ring needs at least one item", nameof(keys));
        items = [.. Enumerable.Range(0, keys.Count).OrderBy(i => keys[i] >> 1).ThenBy(i => i)];
        points = [.. items.Select(i => keys[i] >> 1)];
    }

    /// <summary>Items on the ring.</summary>
    public int Count => items.Length;

    /// <summary>The item at or after a point drawn from <paramref name="random"/> (one draw, whatever the pool).</summary>
    public int Pick(Random random)
    {
        var point = (ulong)random.NextInt64(long.MaxValue);
        var at = Array.BinarySearch(points, point);
        if (at < 0) at = ~at;
        // Equal points (identical content) resolve to the first of them.
        while (at > 0 && at < points.Length && points[at - 1] == points[at]) at--;
        return items[at == points.Length ? 0 : at];
    }
}
