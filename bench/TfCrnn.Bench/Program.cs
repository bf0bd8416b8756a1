using System.Runtime.CompilerServices;
using TfCrnn.Bench;
using TfCrnn.Native;

// Each benchmark is a verb: dotnet run -c Release --project bench/TfCrnn.Bench -- <name> [options]
var benchmarks = new Dictionary<string, Func<string[], Task<int>>>(StringComparer.Ordinal)
{
    ["loader"] = LoaderBenchmark.RunAsync,
    ["train-step"] = a => Task.FromResult(TrainStepBenchmark.Run(a)),
    ["step"] = a => Task.FromResult(StepLatencyBenchmark.Run(a)),
    ["gemm"] = a => Task.FromResult(GemmBenchmark.Run(a)),
    ["agreement"] = a => Task.FromResult(AgreementBenchmark.Run(a)),
    ["streaming"] = StreamingBenchmark.RunAsync,
    ["augmentation"] = AugmentationBenchmark.RunAsync,
    ["engines"] = a => Task.FromResult(EngineBenchmark.Run(a)),
    ["export-random"] = a => Task.FromResult(EngineBenchmark.ExportRandom(a)),
    ["front-end"] = a => Task.FromResult(FrontEndBenchmark.Run(a)),
    ["runtime-pushes"] = a => Task.FromResult(RuntimePushBenchmark.Run(a)),
};

if (args.Length == 0 || !benchmarks.TryGetValue(args[0], out var run))
{
    Console.Error.WriteLine($"usage: TfCrnn.Bench <{string.Join('|', benchmarks.Keys)}> [options]");
    return 2;
}
// As the CLI does: the benchmarks of the folded inference model and the engines load libtorch without the AVX-512 cap.
// runtime-pushes measures what an app on TfCrnn.Runtime holds: libtorch stays unloaded (TfCrnn's module initializer
// loads it at the first touch of the library, hence a method of its own for the plan).
if (args[0] != "runtime-pushes")
    PlanTorch(args[0]);
return await run(args[1..]);

[MethodImpl(MethodImplOptions.NoInlining)]
static void PlanTorch(string verb)
{
    string[] inference = ["step", "agreement", "streaming", "engines", "export-random"];
    TorchNativeLoader.PlanWorkload(inference.Contains(verb) ? TorchWorkload.Inference : TorchWorkload.Training);
}
