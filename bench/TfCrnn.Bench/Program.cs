using TfCrnn.Bench;
using TfCrnn.Native;

TorchNativeLoader.EnsureLoaded();

return args.FirstOrDefault() switch
{
    "training" => await TrainingBenchmark.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: TfCrnn.Bench <benchmark> [options]; benchmarks: training");
    return 2;
}
