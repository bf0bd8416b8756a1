using TfCrnn.Bench;
using TfCrnn.Native;

TorchNativeLoader.EnsureLoaded();

return args.FirstOrDefault() switch
{
    "models" => ModelBenchmark.Run(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: TfCrnn.Bench <benchmark> [options]; benchmarks: models");
    return 2;
}
