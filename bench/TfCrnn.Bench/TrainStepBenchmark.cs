using System.Diagnostics;
using TfCrnn.Models;
using TfCrnn.Native;
using TfCrnn.Training;
using static TorchSharp.torch;

namespace TfCrnn.Bench;

/// <summary>
/// <c>TfCrnn.Bench train-step [--model tfcrnn-resse] [--width 128] [--batch 64] [--threads 2] [--warmup 1] [--steps 3] [--optimizer sgd]</c>:
/// seconds of one training step of a variant as the trainer runs it (<see cref="Trainer.TrainStep"/>: train mode,
/// many-to-many loss, backward, the optimizer's update) on random clips, and the process's peak memory.
/// </summary>
internal static class TrainStepBenchmark
{
    public static int Run(string[] args)
    {
        var options = new BenchOptions(args);
        TorchThreads.Apply(options.Int("--threads", 2));
        var (warmup, steps, batch) = (options.Int("--warmup", 1), options.Int("--steps", 3), options.Int("--batch", 64));
        manual_seed(0);
        using var model = ModelFactory.Create(ModelConfig.For(options.String("--model") ?? "tfcrnn-resse") with { Width = options.Int("--width", 128) });
        model.train();
        var optimizerName = options.String("--optimizer") ?? Spellings<OptimizerKind>.Name(OptimizerKind.Sgd);
        using var optimizer = Optimizers.Create(Spellings<OptimizerKind>.Parse("--optimizer", optimizerName), model.parameters(), 0.025);
        using var waveforms = randn(batch, 1, 16000);
        using var labels = randint(0, model.Config.Classes, [batch], dtype: ScalarType.Int64);
        var times = new List<double>();
        for (var i = 0; i < warmup + steps; i++)
        {
            var clock = Stopwatch.StartNew();
            Trainer.TrainStep(model, optimizer, waveforms, labels, OutputMode.ManyToMany, _ => null);
            if (i >= warmup) times.Add(clock.Elapsed.TotalSeconds);
        }
        BenchOptions.Print(new()
        {
            ["command"] = "train-step",
            ["model"] = model.Config.Variant,
            ["width"] = model.Config.Width,
            ["batch"] = batch,
            ["precision"] = "fp32",
            ["optimizer"] = optimizerName,
            ["seconds_per_step"] = times.Average(),
            ["min_seconds"] = times.Min(),
            ["steps"] = steps,
        });
        return 0;
    }
}
