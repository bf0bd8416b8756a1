using System.Buffers.Binary;
using System.Text;

namespace TfCrnn.Native;

/// <summary>
/// Minimal ELF64 little-endian reader/writer for symbol-version records (<c>.gnu.version_r</c>
/// and <c>.gnu.version_d</c>). Written by hand because no maintained .NET ELF library is served
/// here and only two fixed-layout tables are touched.
/// </summary>
internal static class ElfVersionPatcher
{
    private const uint ShtGnuVerdef = 0x6ffffffd;
    private const uint ShtGnuVerneed = 0x6ffffffe;

    /// <summary>Version names defined by a shared library (its <c>.gnu.version_d</c>).</summary>
    public static HashSet<string> DefinedVersionStrings(byte[] elf)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (section, strtab) in Sections(elf, ShtGnuVerdef))
        {
            var offset = section.Offset;
            for (var i = 0; i < section.Info && offset + 20 <= elf.Length; i++)
            {
                var auxCount = U16(elf, offset + 6);
                var aux = offset + U32(elf, offset + 12);
                for (var j = 0; j < auxCount && aux + 8 <= elf.Length; j++)
                {
                    names.Add(ReadString(elf, strtab.Offset + U32(elf, aux)));
                    aux += U32(elf, aux + 4);
                }
                var next = U32(elf, offset + 16);
                if (next == 0) break;
                offset += next;
            }
        }
        return names;
    }

    /// <summary>A version that one needed library must define (one <c>Elf64_Vernaux</c> record).</summary>
    public readonly record struct NeededVersion(string File, string Name, uint Hash, long RecordOffset, uint NameOffset);

    /// <summary>Every version the file needs from other libraries (its <c>.gnu.version_r</c>).</summary>
    public static List<NeededVersion> NeededVersions(byte[] elf)
    {
        var needed = new List<NeededVersion>();
        foreach (var (section, strtab) in Sections(elf, ShtGnuVerneed))
        {
            var offset = section.Offset;
            for (var i = 0; i < section.Info && offset + 16 <= elf.Length; i++)
            {
                var count = U16(elf, offset + 2);
                var file = ReadString(elf, strtab.Offset + U32(elf, offset + 4));
                var aux = offset + U32(elf, offset + 8);
                for (var j = 0; j < count && aux + 16 <= elf.Length; j++)
                {
                    var nameOffset = U32(elf, aux + 8);
                    needed.Add(new NeededVersion(file, ReadString(elf, strtab.Offset + nameOffset), U32(elf, aux), aux, nameOffset));
                    aux += U32(elf, aux + 12);
                }
                var next = U32(elf, offset + 12);
                if (next == 0) break;
                offset += next;
            }
        }
        return needed;
    }

    /// <summary>
    /// Rewrites, in place, every version needed from <paramref name="fromFile"/> that
    /// <paramref name="available"/> lacks so that it names the newest available version of the
    /// same family that the file already needs. Returns the names retargeted.
    /// With <paramref name="available"/> null, only <c>GLIBCXX_3.4.32</c> (the measured case) is.
    /// </summary>
    public static List<string> RetargetMissingVersions(byte[] elf, string fromFile, IReadOnlySet<string>? available)
    {
        var changed = new List<string>();
        var siblings = NeededVersions(elf).Where(v => v.File == fromFile).ToList();
        foreach (var entry in siblings)
        {
            var missing = available is null ? entry.Name == "GLIBCXX_3.4.32" : !available.Contains(entry.Name);
            if (!missing) continue;
            var family = entry.Name[..(entry.Name.IndexOf('_') + 1)];
            var replacement = siblings
                .Where(s => s.Name.StartsWith(family, StringComparison.Ordinal) && s.Name != entry.Name
                            && (available?.Contains(s.Name) ?? CompareVersions(s.Name, entry.Name) < 0))
                .OrderByDescending(s => s.Name, Comparer<string>.Create(CompareVersions))
                .FirstOrDefault();
            if (replacement.Name is null) continue;
            BinaryPrimitives.WriteUInt32LittleEndian(elf.AsSpan((int)entry.RecordOffset + 8), replacement.NameOffset);
            BinaryPrimitives.WriteUInt32LittleEndian(elf.AsSpan((int)entry.RecordOffset), ElfHash(replacement.Name));
            changed.Add(entry.Name);
        }
        return changed;
    }

    /// <summary>The System V ELF hash used in version records.</summary>
    public static uint ElfHash(string name)
    {
        uint h = 0;
        foreach (var b in Encoding.ASCII.GetBytes(name))
        {
            h = (h << 4) + b;
            var g = h & 0xf0000000;
            if (g != 0) h ^= g >> 24;
            h &= ~g;
        }
        return h;
    }

    private static int CompareVersions(string a, string b)
    {
        var pa = a[(a.IndexOf('_') + 1)..].Split('.');
        var pb = b[(b.IndexOf('_') + 1)..].Split('.');
        for (var i = 0; i < Math.Max(pa.Length, pb.Length); i++)
        {
            var x = i < pa.Length && int.TryParse(pa[i], out var va) ? va : 0;
            var y = i < pb.Length && int.TryParse(pb[i], out var vb) ? vb : 0;
            if (x != y) return x.CompareTo(y);
        }
        return 0;
    }

    private readonly record struct Section(uint Type, long Offset, long Size, uint Link, uint Info);

    private static IEnumerable<(Section Section, Section StringTable)> Sections(byte[] elf, uint type)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F'
            || elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("Not a 64-bit little-endian ELF file.");
        var shoff = (long)BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(0x28));
        var shentsize = U16(elf, 0x3a);
        var shnum = U16(elf, 0x3c);
        if (shoff <= 0 || shoff + (long)shentsize * shnum > elf.Length)
            throw new InvalidDataException("ELF section header table lies outside the file.");
        var sections = new Section[shnum];
        for (var i = 0; i < shnum; i++)
        {
            var at = shoff + (long)i * shentsize;
            sections[i] = new Section(U32(elf, at + 4), (long)BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan((int)at + 0x18)),
                (long)BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan((int)at + 0x20)), U32(elf, at + 0x28), U32(elf, at + 0x2c));
        }
        return sections.Where(s => s.Type == type && s.Link < shnum).Select(s => (s, sections[s.Link])).ToList();
    }

    private static ushort U16(byte[] b, long at) => BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan((int)at));
    private static uint U32(byte[] b, long at) => BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan((int)at));

    private static string ReadString(byte[] b, long at)
    {
        var end = Array.IndexOf(b, (byte)0, (int)at);
        return Encoding.ASCII.GetString(b, (int)at, (end < 0 ? b.Length : end) - (int)at);
    }
}
