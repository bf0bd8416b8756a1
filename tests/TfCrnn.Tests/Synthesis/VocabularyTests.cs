using TfCrnn.Data;
using TfCrnn.Synthesis;

namespace TfCrnn.Tests.Synthesis;

public class VocabularyTests
{
    private static IEnumerable<string> Words(string text) =>
        text.Split([' ', ',', '.', '?', '!'], StringSplitOptions.RemoveEmptyEntries).Select(w => w.ToLowerInvariant());

    [Fact]
    public void NoNonKeywordIsACommandOrSoundsLikeOne()
    {
        Assert.Equal(Vocabulary.NonKeywords.Count, Vocabulary.NonKeywords.Distinct().Count());
        foreach (var entry in Vocabulary.NonKeywords)
        {
            Assert.Matches("^[a-z]+( [a-z]+)*$", entry);
            Assert.All(Words(entry), w => Assert.False(Vocabulary.SoundsLikeCommand(w), $"'{w}' in '{entry}' sounds like a command"));
        }
        Assert.All(Vocabulary.Sentences.SelectMany(Words), w => Assert.False(Vocabulary.SoundsLikeCommand(w), $"'{w}' sounds like a command"));
    }

    [Fact]
    public void TheRuleCatchesCommandsHomophonesAndInflections()
    {
        Assert.All(Labels.All, c => Assert.True(Vocabulary.SoundsLikeCommand(c)));
        Assert.All(["won", "to", "too", "for", "fore", "ate", "know", "write", "right", "foreword", "sicks", "Two.", "dogs", "seventy", "nineteen"],
            w => Assert.True(Vocabulary.SoundsLikeCommand(w), w));
        Assert.All(["bet", "dug", "town", "fine", "mouse", "step", "tune"], w => Assert.False(Vocabulary.SoundsLikeCommand(w), w));
        Assert.All(Vocabulary.Homophones.Keys, c => Assert.Contains(c, Labels.All));
    }

    [Fact]
    public void PhraseFoldersUseUnderscoresAndTheNearMissesComeFirst()
    {
        Assert.Equal("good_morning", Vocabulary.FolderName("good morning"));
        Assert.Equal(["bet", "bad", "head", "dug"], Vocabulary.NonKeywords.Take(4));
        Assert.Contains("what time is it", Vocabulary.NonKeywords.Take(SynthesisOptions.DefaultNonKeywordWords));
        Assert.True(Vocabulary.NonKeywords.Count > SynthesisOptions.DefaultNonKeywordWords + 50, "words left for streams only");
    }
}
