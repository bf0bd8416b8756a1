using System.Text.Json.Nodes;
using TfCrnn.Runtime;
using TfCrnn.Tests.Support;

namespace TfCrnn.Tests.Runtime;

/// <summary>
/// The shared resampler cases (<c>tests/fixtures/resampler/cases.json</c>, described in its README.md) through
/// <see cref="StreamingResampler"/>, as <c>web/test/resampler.test.mjs</c> runs them through the capture worklet's
/// resampler: the two must give the same samples.
/// </summary>
public sealed class ResamplerCaseTests
{
    private static readonly JsonNode Shared = JsonNode.Parse(File.ReadAllText(TestPaths.Fixture("resampler", "cases.json")))!;

    public static TheoryData<string> Cases => [.. Shared["cases"]!.AsArray().Select(c => (string)c!["name"]!)];

    private static JsonNode Case(string name) => Shared["cases"]!.AsArray().Single(c => (string)c!["name"]! == name)!;

    /// <summary>
    /// The input of a case: segments one after another, <c>{samples, value}</c> constant or <c>{samples, noise: seed}</c>
    /// white noise of 16-bit codes from xorshift32 (the state's high 16 bits − 32768, divided by 32768).
    /// </summary>
    internal static float[] Input(JsonNode c) => Segments(c["input"]!.AsArray());

    /// <summary>Input segments (<see cref="Input"/>) one after another; the recognizer cases' noise segments are these.</summary>
    internal static float[] Segments(IEnumerable<JsonNode?> segments)
    {
        var input = new List<float>();
        foreach (var segment in segments)
        {
            var samples = (int)segment!["samples"]!;
            if (segment["noise"] is { } seed)
            {
                var state = (uint)seed;
                for (var i = 0; i < samples; i++)
                {
                    state ^= state << 13;
                    state ^= state >> 17;
                    state ^= state << 5;
                    input.Add(((int)(state >> 16) - 32768) / 32768f);
                }
            }
            else
                input.AddRange(Enumerable.Repeat((float)(double)segment["value"]!, samples));
        }
        return [.. input];
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void TheStreamingResamplerGivesTheSamplesOfTheBrowsers(string name)
    {
        var c = Case(name);
        var input = Input(c);
        var pushes = c["pushes"]!.AsArray().Select(p => (int)p!).ToArray();
        var expected = Convert.FromBase64String((string)c["expected"]!);
        var resampler = new StreamingResampler((int)c["from"]!, (int)c["to"]!);
        var output = new List<float>();
        for (int at = 0, i = 0; at < input.Length; i++)
        {
            var size = Math.Min(pushes[i % pushes.Length], input.Length - at);
            output.AddRange(resampler.Push(input.AsSpan(at, size)).ToArray());
            at += size;
        }

        Assert.Equal(expected.Length / 4, output.Count);
        var differences = output.Select((s, i) => Math.Abs(s - BitConverter.ToSingle(expected, 4 * i))).ToList();
        Assert.True(differences.Max() == 0, $"{differences.Count(d => d > 0)} of {output.Count} samples differ, by up to {differences.Max()}");
    }
}
