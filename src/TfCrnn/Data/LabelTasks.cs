using System.Text.Json.Serialization;
using TfCrnn.Runtime;

namespace TfCrnn.Data;

/// <summary>A named training task: the classes a model learns (<c>train --task NAME</c>); files hold its name.</summary>
[JsonConverter(typeof(LabelTaskJsonConverter))]
public sealed record LabelTask(string Name, LabelSet Classes);

/// <summary>The named training tasks: the paper's 35 words, with a rejection class, and the dataset's own 12 labels.</summary>
public static class LabelTasks
{
    /// <summary>The 35 Speech Commands v0.02 words in alphabetical order: the paper's task.</summary>
    public static readonly LabelTask Commands = new("commands35", LabelSet.FromLabels(
    [
        "backward", "bed", "bird", "cat", "dog", "down", "eight", "five", "follow", "forward",
        "four", "go", "happy", "house", "learn", "left", "marvin", "nine", "no", "off",
        "on", "one", "right", "seven", "sheila", "six", "stop", "three", "tree", "two",
        "up", "visual", "wow", "yes", "zero",
    ]));

    /// <summary>The 35 commands and one rejection class for everything else.</summary>
    public static readonly LabelTask CommandsAndNone = new("commands35+none", LabelSet.FromLabels([.. Commands.Classes.Labels, LabelSet.None]));

    /// <summary>The dataset's standard 12-label task in TensorFlow's order (silence, unknown, then the ten words).</summary>
    public static readonly LabelTask Standard12 = new("standard12", LabelSet.FromLabels(
        [LabelSet.Silence, LabelSet.Unknown, "yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go"]));

    /// <summary>The named tasks, default first.</summary>
    public static readonly IReadOnlyList<LabelTask> All = [Commands, CommandsAndNone, Standard12];

    /// <summary>The names of <see cref="All"/>, as <c>--task</c> takes them.</summary>
    public static readonly IReadOnlyList<string> Names = [.. All.Select(t => t.Name)];

    /// <summary>A named task; the error lists the names.</summary>
    /// <exception cref="OptionException">No task has that name.</exception>
    public static LabelTask Parse(string name) =>
        All.FirstOrDefault(t => t.Name == name)
        ?? throw new OptionException("--task", $"must be one of {string.Join(", ", Names)}, got '{name}'");
}
