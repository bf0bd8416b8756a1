using System.Reflection;
using System.Text.Json.Serialization;

namespace TfCrnn;

/// <summary>
/// How files and command lines spell the members of an options enum: each member's
/// <see cref="JsonStringEnumMemberNameAttribute"/>, which <see cref="JsonStringEnumConverter{TEnum}"/> writes and reads too.
/// </summary>
internal static class Spellings<T> where T : struct, Enum
{
    private static readonly (T Value, string Name)[] Members =
    [
        .. Enum.GetValues<T>().Select(value => (value,
            typeof(T).GetField(value.ToString())!.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? value.ToString())),
    ];

    /// <summary>Every spelling, in the enum's order.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Members.Select(m => m.Name)];

    public static string Name(T value) => Members.First(m => m.Value.Equals(value)).Name;

    /// <summary>The member spelt <paramref name="text"/>; <see cref="OptionException"/> naming <paramref name="option"/> otherwise.</summary>
    public static T Parse(string option, string text)
    {
        OptionChecks.OneOf(option, text, Names);
        return Members.First(m => m.Name == text).Value;
    }
}
