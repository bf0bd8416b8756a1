using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace TfCrnn.Data;

/// <summary>
/// The dataset's own split rule, used where the split lists are missing: every clip of a speaker lands in
/// the same split (TensorFlow's <c>input_data.which_set</c>, 10% validation, 10% test).
/// </summary>
internal static class SplitRule
{
    private const string NoHash = "_nohash_";
    private const long MaxFilesPerClass = (1L << 27) - 1;

    /// <summary>The split of a clip from its file name (any directory part is ignored).</summary>
    public static Split Of(string path) => Percentage(path) switch
    {
        < 10 => Split.Valid,
        < 20 => Split.Test,
        _ => Split.Train,
    };

    /// <summary>p = (SHA-1(name up to "_nohash_") mod 2^27) × 100 / (2^27 − 1), in [0, 100].</summary>
    public static double Percentage(string path)
    {
        var name = path.Replace('\\', '/');
        name = name[(name.LastIndexOf('/') + 1)..];
        var cut = name.IndexOf(NoHash, StringComparison.Ordinal);
        var speaker = cut >= 0 ? name[..cut] : name;
        var digest = SHA1.HashData(Encoding.UTF8.GetBytes(speaker));
        var hash = new BigInteger(digest, isUnsigned: true, isBigEndian: true);
        var bucket = (long)(hash % (MaxFilesPerClass + 1));
        return bucket * (100.0 / MaxFilesPerClass);
    }
}
