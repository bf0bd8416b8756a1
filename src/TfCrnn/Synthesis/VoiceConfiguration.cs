using System.Security.Cryptography;
using System.Text;
using TfCrnn.Data;

namespace TfCrnn.Synthesis;

/// <summary>
/// One synthetic "speaker": a voice (<c>en-gb-scotland</c>, <c>rhvoice-slt</c>) and a variant of its engine
/// (espeak-ng's <c>klatt3</c>, another engine's <c>pitch-90</c>, <see cref="EngineVoice"/>). Its clips
/// carry <see cref="IdIn"/>, a short hash that plays the role of the dataset's speaker hash, so that the split
/// rule keeps every clip of a configuration, whatever its speed or pitch, in one split.
/// </summary>
internal sealed record VoiceConfiguration(string Voice, string Variant)
{
    /// <summary>The configuration's name, hashed into its speaker id: for espeak-ng's voices its <c>-v</c> argument.</summary>
    public string Name => $"{Voice}+{Variant}";

    /// <summary>
    /// The configuration's speaker id in <paramref name="split"/>: the first 8 hex digits of SHA-1 of the name
    /// (with a counter appended when needed) whose dataset hash rule gives that split, so that the split lists
    /// and the hash rule agree.
    /// </summary>
    public string IdIn(Split split)
    {
        for (var salt = 0; ; salt++)
        {
            var id = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(salt == 0 ? Name : $"{Name}#{salt}")))[..8];
            if (SplitRule.Of(id) == split)
                return id;
        }
    }

    public override string ToString() => Name;
}
