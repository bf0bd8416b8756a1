using TfCrnn.Bench;
using TfCrnn.Native;

// Each benchmark is a verb: dotnet run -c Release --project bench/TfCrnn.Bench -- <name> [options]
var benchmarks = new Dictionary<string, Func<string[], Task<int>>>(StringComparer.Ordinal)
{
    ["loader"] = LoaderBenchmark.RunAsync,
    ["train-step"] = a => Task.FromResult(TrainStepBenchmark.Run(a)),
    ["baselines"] = a => Task.FromResult(BaselineBenchmark.Run(a)),
    ["step"] = a => Task.FromResult(StepLatencyBenchmark.Run(a)),
    ["gemm"] = a => Task.FromResult(GemmBenchmark.Run(a)),
    ["agreement"] = a => Task.FromResult(AgreementBenchmark.Run(a)),
    ["streaming"] = StreamingBenchmark.RunAsync,
    ["augmentation"] = AugmentationBenchmark.RunAsync,
    ["engines"] = a => Task.FromResult(EngineBenchmark.Run(a)),
    ["export-random"] = a => Task.FromResult(EngineBenchmark.ExportRandom(a)),
    ["encoder"] = a => Task.FromResult(EncoderBenchmark.Run(a)),
};

if (args.Length == 0 || !benchmarks.TryGetValue(args[0], out var run))
{
    Console.Error.WriteLine($"usage: TfCrnn.Bench <{string.Join('|', benchmarks.Keys)}> [options]");
    return 2;
}
// As the CLI does: the benchmarks of the folded inference model and the engines load libtorch without the AVX-512 cap.
string[] inference = ["step", "agreement", "streaming", "engines", "export-random"];
TorchNativeLoader.PlanWorkload(inference.Contains(args[0]) ? TorchWorkload.Inference : TorchWorkload.Training);
return await run(args[1..]);
