namespace TfCrnn.Tests.Support;

/// <summary>
/// Tests that compare two training runs bit for bit: dropout draws from torch's process-wide generator, which
/// tests of other classes running in parallel would advance, so these run alone.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchGlobalStateCollection
{
    public const string Name = "torch global state";
}
