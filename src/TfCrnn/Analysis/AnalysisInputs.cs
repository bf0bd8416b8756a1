using TfCrnn.Data;
using TfCrnn.Evaluation;
using TfCrnn.Models;
using TfCrnn.Native;
using TfCrnn.Progress;
using static TorchSharp.torch;

namespace TfCrnn.Analysis;

/// <summary>The dataset and clips an analysis runs on.</summary>
internal sealed class AnalysisInputs : IDisposable
{
    private AnalysisInputs(SpeechCommandsDataset data, IReadOnlyList<Clip> clips, string splitName)
    {
        Data = data;
        Clips = clips;
        SplitName = splitName;
    }

    public SpeechCommandsDataset Data { get; }

    /// <summary>Every clip of the chosen split.</summary>
    public IReadOnlyList<Clip> Clips { get; }

    public string SplitName { get; }

    public static AnalysisInputs Open(AnalysisOptions options, IProgress<TaskProgress>? progress)
    {
        options.Validate();
        TorchThreads.Apply(options.Threads);
        var data = SpeechCommandsDataset.Open(options.DataPath, progress: progress);
        var clips = data.Clips(options.Split);
        var inputs = new AnalysisInputs(data, clips, options.Split.Name());
        if (clips.Count == 0)
        {
            inputs.Dispose();
            throw new DatasetException($"{data.Source}: the {inputs.SplitName} split has no clips");
        }
        return inputs;
    }

    /// <summary>The clips of each word, in the given order; an unknown word or one without clips is an error.</summary>
    public IReadOnlyList<(string Word, int Class, IReadOnlyList<Clip> Clips)> ClipsOf(IReadOnlyList<string> words, ModelConfig model)
    {
        var byClass = Clips.ToLookup(c => c.LabelIndex);
        return [.. words.Distinct().Select(word =>
        {
            if (!Labels.TryIndexOf(word, out var index) || index >= model.Classes)
                throw new TfCrnnException($"unknown command '{word}'; the model knows: {string.Join(", ", Labels.All.Take(model.Classes))}");
            var clips = byClass[index].ToList();
            if (clips.Count == 0)
                throw new TfCrnnException($"{Data.Source}: no {SplitName} clips of '{word}'; choose other --words");
            return (word, index, (IReadOnlyList<Clip>)clips);
        })];
    }

    public void Dispose() => Data.Dispose();
}
