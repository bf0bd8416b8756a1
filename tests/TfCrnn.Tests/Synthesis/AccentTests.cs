using TfCrnn.Data;
using TfCrnn.Synthesis;

namespace TfCrnn.Tests.Synthesis;

public class AccentTests
{
    // Appended to every phoneme input: espeak-ng drops an unknown phoneme and all that follows, so a lost sentinel is a lost phoneme.
    private const string Sentinel = "s|t";

    [Fact]
    public async Task EveryAccentSaysEveryWordWholeAndNoWordBecomesACommand()
    {
        var speaker = new VoiceSpeaker("espeak-ng");
        string[] entries = [.. Labels.All, .. Vocabulary.NonKeywords];
        var jobs = Accent.All.SelectMany(a => entries.Select(e => (Accent: a, Entry: e))).ToList();
        var mapped = new Dictionary<(string, string), string>();
        await Parallel.ForEachAsync(jobs, new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (job, token) =>
        {
            var phonemes = await speaker.AccentedAsync(job.Accent, job.Entry, token);
            lock (mapped) mapped[(job.Accent.Voice, job.Entry)] = phonemes;
        });

        foreach (var accent in Accent.All)
        {
            async Task<string> Echo(string phonemeInput) =>
                new([.. (await EspeakNg.TextAsync("espeak-ng", ["-v", accent.Voice, "-q", "-x", "--sep=_", phonemeInput], default))
                    .Where(c => c is not ('\'' or ',' or ';'))]);
            var sentinel = (await Echo($"[[{Sentinel}]]")).Trim();
            // One sentence per entry: a long clause would be cut by espeak-ng, possibly inside a phoneme block.
            var echoed = await Echo(string.Join(" ", entries.Select(e => $"[[{mapped[(accent.Voice, e)]}|{Sentinel}]].")));
            var whole = echoed.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.TrimEnd().EndsWith(sentinel, StringComparison.Ordinal));
            if (whole != entries.Length)
            {
                var cut = new List<string>();
                foreach (var e in entries)
                    if (!(await Echo($"[[{mapped[(accent.Voice, e)]}|{Sentinel}]]")).TrimEnd().EndsWith(sentinel, StringComparison.Ordinal))
                        cut.Add(e);
                Assert.Fail($"{accent.Voice} drops phonemes of: {string.Join(", ", cut)}");
            }

            var commands = Labels.All.ToDictionary(c => c, c => mapped[(accent.Voice, c)]);
            Assert.Equal(commands.Count, commands.Values.Distinct().Count());
            foreach (var word in Vocabulary.NonKeywords.Where(e => !e.Contains(' ', StringComparison.Ordinal)))
                Assert.False(commands.ContainsValue(mapped[(accent.Voice, word)]), $"{accent.Voice} says '{word}' like a command");
        }
    }

    [Fact]
    public void TransferAppliesUnlessAskedAndKeepsStress()
    {
        var german = Accent.All.Single(a => a.Voice == "de");
        string[] three = ["T", "r", "'i:"];
        Assert.Equal("s|r|'i:", german.Map(three, transfer: true));
        Assert.Equal("T|r|'i:", german.Map(three, transfer: false));
        Assert.Equal("v|'O|n", german.Map(["w", "'0", "n"], transfer: true));
        var french = Accent.All.Single(a => a.Voice == "fr-fr");
        Assert.Equal("'a|u|s", french.Map(["h", "'aU", "s"], transfer: true));
    }

    [Fact]
    public async Task ItalianThreeStaysThreeRatherThanBecomingTree()
    {
        var speaker = new VoiceSpeaker("espeak-ng");
        var italian = Accent.All.Single(a => a.Voice == "it");
        Assert.Equal("T|r|'i:", await speaker.AccentedAsync(italian, "three", default));
        Assert.Equal("t|r|'i:", await speaker.AccentedAsync(italian, "tree", default));
        Assert.Equal("'aU|s", await speaker.AccentedAsync(italian, "house", default));
    }

    [Fact]
    public async Task EveryVariantIsAFileOfTheInstalledEspeak()
    {
        // "eSpeak NG text-to-speech: 1.51  Data at: /usr/lib/x86_64-linux-gnu/espeak-ng-data"
        var version = await EspeakNg.TextAsync("espeak-ng", ["--version"], default);
        var data = version[(version.IndexOf("Data at:", StringComparison.Ordinal) + "Data at:".Length)..].Trim();
        var variants = Directory.GetFiles(Path.Combine(data, "voices", "!v")).Select(Path.GetFileName).ToHashSet();
        Assert.All(VoiceCatalog.Variants, v => Assert.Contains(v, variants));
        Assert.Equal(98, VoiceCatalog.Variants.Count);
        Assert.Equal(VoiceCatalog.Voices.Count, VoiceCatalog.Voices.Distinct().Count());
        Assert.Equal(8 + 20 + 4 + 13, VoiceCatalog.Voices.Count);
    }
}
