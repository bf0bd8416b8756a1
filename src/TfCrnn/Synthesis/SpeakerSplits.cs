using TfCrnn.Data;

namespace TfCrnn.Synthesis;

/// <summary>
/// Which split each voice configuration speaks in: a configuration never crosses splits. The configurations
/// are ordered by the dataset's hash of their name (independent of the seed) and the first tenth (at least
/// one) goes to validation, the next tenth to test, the rest to training; held-out ones speak only in
/// <see cref="HeldOut"/>.
/// </summary>
internal sealed class SpeakerSplits
{
    private readonly IReadOnlyList<VoiceConfiguration>[] pools;
    private readonly Dictionary<VoiceConfiguration, (Split Split, string Id)> speakers = [];

    public SpeakerSplits(IEnumerable<VoiceConfiguration> configurations, Func<VoiceConfiguration, bool> isHeldOut)
    {
        var all = configurations.Distinct().ToList();
        HeldOut = all.Where(isHeldOut).OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        var ordered = all.Where(c => !isHeldOut(c)).OrderBy(c => SplitRule.Percentage(c.Name)).ThenBy(c => c.Name, StringComparer.Ordinal).ToList();
        if (ordered.Count < 3)
            throw new TfCrnnException($"synthesis needs at least 3 voice configurations (voice+variant) outside the held-out ones, " +
                $"one each for train, valid and test; got {ordered.Count}");
        var tenth = (ordered.Count + 9) / 10;
        pools = new IReadOnlyList<VoiceConfiguration>[3];
        pools[(int)Split.Valid] = ordered[..tenth];
        pools[(int)Split.Test] = ordered[tenth..(2 * tenth)];
        pools[(int)Split.Train] = ordered[(2 * tenth)..];
        foreach (var split in Enum.GetValues<Split>())
            foreach (var configuration in pools[(int)split])
                speakers[configuration] = (split, configuration.IdIn(split));
        foreach (var configuration in HeldOut)
            speakers[configuration] = (Split.Test, configuration.IdIn(Split.Test));
    }

    /// <summary>Configurations that speak only in the held-out clips (listed as test).</summary>
    public IReadOnlyList<VoiceConfiguration> HeldOut { get; }

    /// <summary>The configurations that speak in <paramref name="split"/> (held-out ones excluded).</summary>
    public IReadOnlyList<VoiceConfiguration> In(Split split) => pools[(int)split];

    /// <summary>The split a configuration speaks in (test for held-out ones).</summary>
    public Split SplitOf(VoiceConfiguration configuration) => speakers[configuration].Split;

    /// <summary>The speaker id of a configuration in its clip names; the hash rule maps it to <see cref="SplitOf"/>.</summary>
    public string IdOf(VoiceConfiguration configuration) => speakers[configuration].Id;
}
