using TfCrnn.Checkpoints;
using TfCrnn.Data;
using TfCrnn.Evaluation;
using TfCrnn.Models;
using TfCrnn.Native;

namespace TfCrnn.Bench;

/// <summary>
/// <c>TfCrnn.Bench agreement --checkpoint DIR --data PATH [--split test] [--threads 2]</c>: how far bfloat16 inference
/// departs from float32 on a test set: the share of clips with the same prediction and both accuracies. Where the
/// CPU lacks bfloat16 it is emulated (the same roundings, slower), so the figures hold for any machine.
/// </summary>
internal static class AgreementBenchmark
{
    public static int Run(string[] args)
    {
        var options = new BenchOptions(args);
        TorchThreads.Apply(options.Int("--threads", 2));
        using var model = CheckpointLocator.LoadModel(options.String("--checkpoint") ?? throw new ArgumentException("--checkpoint DIR is required"));
        using var data = SpeechCommandsDataset.Open(options.String("--data") ?? throw new ArgumentException("--data PATH is required"));
        var split = Enum.Parse<EvaluationSplit>(options.String("--split") ?? "test", ignoreCase: true);
        var clips = data.Clips(split);
        EvaluationReport Run(InferencePrecision precision)
        {
            using var inference = ClipClassifier.Of(InferenceModel.CreateEmulated(model, new InferenceOptions { Precision = precision }));
            return Evaluator.Evaluate(inference, data, clips);
        }
        var exact = Run(InferencePrecision.Float32);
        var reduced = Run(InferencePrecision.BFloat16);
        var equal = exact.Predictions.Zip(reduced.Predictions).Count(p => p.First.Predicted == p.Second.Predicted);
        BenchOptions.Print(new()
        {
            ["command"] = "agreement",
            ["model"] = model.Config.Variant,
            ["width"] = model.Config.Width,
            ["clips"] = clips.Count,
            ["fp32_accuracy"] = exact.Accuracy,
            ["bf16_accuracy"] = reduced.Accuracy,
            ["equal_predictions"] = (double)equal / clips.Count,
            ["bf16_native"] = CpuInfo.Current.SupportsBFloat16,
        });
        return 0;
    }
}
