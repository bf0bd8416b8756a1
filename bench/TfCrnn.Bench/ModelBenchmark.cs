namespace TfCrnn.Bench;

internal static class ModelBenchmark
{
    public static int Run(string[] args) => 0;
}
