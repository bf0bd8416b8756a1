using System.Runtime.CompilerServices;
using TfCrnn.Native;

namespace TfCrnn.Tests.Support;

internal static class TestSetup
{
    // Tests may touch torch before any TfCrnn type; load the native library first.
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Initialize() => TorchNativeLoader.EnsureLoaded();
}
