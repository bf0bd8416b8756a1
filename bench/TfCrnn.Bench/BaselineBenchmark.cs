using System.Diagnostics;
using TfCrnn.Models;
using TfCrnn.Models.AttnCrnn;
using TfCrnn.Models.HarmonicCnn;
using TfCrnn.Native;
using TfCrnn.Training;
using static TorchSharp.torch;

namespace TfCrnn.Bench;

/// <summary>
/// <c>TfCrnn.Bench baselines [--models tfcrnn-resse,attn-crnn,harmonic-cnn] [--batch 64] [--threads 2] [--warmup 1]
/// [--steps 2]</c>: the Table I baselines beside the
/// TF-CRNN, side by side in one process on the same random clips: seconds of an eval-mode forward pass of a batch of
/// one-second clips, and of one training step (train mode, cross-entropy, backward, SGD update; the TF-CRNN's as its
/// trainer runs it, many-to-many), for <c>tfcrnn-resse</c> at width 128, <c>attn-crnn</c> and <c>harmonic-cnn</c> at
/// width 128. The models take turns in each round, so that a change of load falls on all of them. One JSON line per
/// model; the peak memory is the process's after all of them (one model per run gives each its own).
/// </summary>
internal static class BaselineBenchmark
{
    public static int Run(string[] args)
    {
        var options = new BenchOptions(args);
        TorchThreads.Apply(options.Int("--threads", 2));
        var (warmup, steps, batch) = (options.Int("--warmup", 1), options.Int("--steps", 2), options.Int("--batch", 64));
        manual_seed(0);
        using var waveforms = randn(batch, 1, 16000);
        using var tfcrnn = ModelFactory.Create(ModelConfig.For("tfcrnn-resse") with { Width = 128 });
        using var attnCrnn = ModelFactory.Create(ModelConfig.For("attn-crnn"));
        using var harmonicCnn = ModelFactory.Create(ModelConfig.For("harmonic-cnn") with { Width = 128 });
        using var labels = randint(0, tfcrnn.Config.Classes, [batch], dtype: ScalarType.Int64);
        var chosen = (options.String("--models") ?? "tfcrnn-resse,attn-crnn,harmonic-cnn").Split(',');
        var models = new (string Name, nn.Module Module, Action Forward, Action TrainStep)[]
        {
            ("tfcrnn-resse", tfcrnn, () => { using var output = tfcrnn.forward(waveforms); }, TrainStep(tfcrnn, waveforms, labels, OutputMode.ManyToMany)),
            ("attn-crnn", attnCrnn, () => { using var output = attnCrnn.forward(waveforms); }, TrainStep(attnCrnn, waveforms, labels, OutputMode.ManyToOne)),
            ("harmonic-cnn", harmonicCnn, () => { using var output = harmonicCnn.forward(waveforms); }, TrainStep(harmonicCnn, waveforms, labels, OutputMode.ManyToOne)),
        }.Where(m => chosen.Contains(m.Name)).ToArray();
        var forwardTimes = models.Select(_ => new List<double>()).ToArray();
        var stepTimes = models.Select(_ => new List<double>()).ToArray();
        for (var round = 0; round < warmup + steps; round++)
            for (var m = 0; m < models.Length; m++)
            {
                var (_, module, forward, trainStep) = models[m];
                module.eval();
                using (no_grad())
                {
                    var clock = Stopwatch.StartNew();
                    forward();
                    if (round >= warmup) forwardTimes[m].Add(clock.Elapsed.TotalSeconds);
                }
                module.train();
                var stepClock = Stopwatch.StartNew();
                trainStep();
                if (round >= warmup) stepTimes[m].Add(stepClock.Elapsed.TotalSeconds);
            }
        for (var m = 0; m < models.Length; m++)
            BenchOptions.Print(new()
            {
                ["command"] = "baselines",
                ["model"] = models[m].Name,
                ["parameters"] = models[m].Module.parameters().Sum(p => p.numel()),
                ["batch"] = batch,
                ["precision"] = "fp32",
                ["forward_seconds"] = forwardTimes[m].Average(),
                ["forward_min_seconds"] = forwardTimes[m].Min(),
                ["train_step_seconds"] = stepTimes[m].Average(),
                ["train_step_min_seconds"] = stepTimes[m].Min(),
                ["steps"] = steps,
            });
        return 0;
    }

    /// <summary>A training step as the trainer runs it (SGD; the TF-CRNN many-to-many, the baselines' one step many-to-one).</summary>
    private static Action TrainStep(SpeechCommandModel model, Tensor waveforms, Tensor labels, OutputMode io)
    {
        var optimizer = Optimizers.Create(OptimizerKind.Sgd, model.parameters(), 0.025);
        return () => Trainer.TrainStep(model, optimizer, waveforms, labels, io, _ => null);
    }
}
