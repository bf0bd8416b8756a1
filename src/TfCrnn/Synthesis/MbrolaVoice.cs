namespace TfCrnn.Synthesis;

/// <summary>
/// An espeak-ng voice that speaks through an MBROLA diphone database: espeak-ng chooses the phonemes, durations and
/// pitch, and MBROLA joins diphones cut from one real speaker's recordings, so the timbre is a person's rather than
/// espeak-ng's formant synthesiser. The databases are Debian packages (<c>mbrola-us1</c>, in contrib/non-free); their
/// licences restrict the databases, not speech made with them.
/// </summary>
/// <param name="Voice">The espeak-ng voice (<c>mb-us1</c>; <c>mb-de1-en</c> is a German speaker's English).</param>
/// <param name="Database">The MBROLA database it speaks through (<c>us1</c>, <c>de1</c>).</param>
internal sealed record MbrolaVoice(string Voice, string Database)
{
    /// <summary>Where Debian installs the databases and espeak-ng looks for them.</summary>
    public const string DefaultRoot = "/usr/share/mbrola";

    /// <summary>The Debian package of the database.</summary>
    public string Package => $"mbrola-{Database}";

    /// <summary>Whether the database is under <paramref name="root"/>, in one of the places espeak-ng looks.</summary>
    public bool IsInstalledIn(string root) =>
        File.Exists(Path.Combine(root, Database, Database)) || File.Exists(Path.Combine(root, Database))
        || File.Exists(Path.Combine(root, "voices", Database));
}
