using System.Diagnostics;
using TfCrnn.Models;
using TfCrnn.Progress;
using TfCrnn.Tests.Support;
using TfCrnn.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace TfCrnn.Tests.Training;

[Collection(ProcessMemoryCollection.Name)] // process memory is shared: measured while no other test runs
public class NativeMemoryTests
{
    [Fact]
    public void TrainingStepsLeaveNoTensorBehind()
    {
        manual_seed(1);
        using var model = ModelFactory.Create(ModelConfig.For("tfcrnn-resse") with { Width = 8, HiddenSize = 8 });
        using var optimizer = new NesterovSgd(model.parameters(), 0.01, Optimizers.Momentum);
        using var waveforms = randn(4, 1, 16000);
        using var labels = tensor(new long[] { 0, 5, 9, 34 });
        // The first steps create the momentum buffers and gradients, which live as long as the model.
        for (var i = 0; i < 3; i++) Trainer.TrainStep(model, optimizer, waveforms, labels, OutputMode.ManyToMany, _ => null);
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (var i = 0; i < 50; i++) Trainer.TrainStep(model, optimizer, waveforms, labels, OutputMode.ManyToMany, _ => null);
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public async Task ProcessMemoryStaysFlatOverManyBatches()
    {
        using var data = new ToneDataset(trainPerWord: 8, validPerWord: 1, testPerWord: 1);
        using var dir = new TempDirectory();
        var options = ToneDataset.TinyTraining(data.Path, dir.Path, "crnn-resse") with
        {
            HiddenSize = 8,
            BatchSize = 4,
            MaxEpochs = 40,
            Patience = 100,
        };
        var rss = new Dictionary<int, long>();
        await Trainer.RunAsync(options, new SynchronousProgress<TrainingProgress>(p =>
        {
            if (p.Completed is { } m && m.Epoch % 10 == 0)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                rss[m.Epoch] = Process.GetCurrentProcess().WorkingSet64;
            }
        }));
        // 480 batches; after the warm-up epochs the resident set must not keep growing.
        var growth = (rss[40] - rss[10]) / (1024.0 * 1024.0);
        // Measured alone: 15.7 MiB (allocator and runtime caches); a leak of one batch's waveforms (250 KB) per batch
        // would add about 90 MiB over these 360 batches.
        Assert.True(growth < 20, $"resident memory grew {growth:0.0} MiB between epochs 10 and 40");
    }
}
