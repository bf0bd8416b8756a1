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

    /// <summary>The clips of each keyword, in the given order; a word the model does not know or one without clips is an error.</summary>
    public IReadOnlyList<(string Word, int Class, IReadOnlyList<Clip> Clips)> ClipsOf(IReadOnlyList<string> words, ModelConfig model)
    {
        var byLabel = Clips.ToLookup(c => c.Label);
        var labels = model.LabelSet;
        return [.. words.Distinct().Select(word =>
        {
            if (labels.IndexOf(word) is not { } index || !labels.IsKeyword(index))
                throw new TfCrnnException($"unknown command '{word}'; the model knows: {string.Join(", ", labels.KeywordIndices.Select(k => labels[k]))}");
            var clips = byLabel[word].ToList();
            if (clips.Count == 0)
                throw new TfCrnnException($"{Data.Source}: no {SplitName} clips of '{word}'; choose other --words");
            return (word, index, (IReadOnlyList<Clip>)clips);
        })];
    }

    public void Dispose() => Data.Dispose();
}
