using System.Runtime.InteropServices;

namespace TfCrnn.Native;

/// <summary>
/// Switches of libtorch's global <c>at::Context</c> that TorchSharp does not expose, called through their exported
/// C++ symbols (x86-64 and AArch64 pass the context as the first argument). Where a symbol is missing (another
/// libtorch), nothing is switched.
/// </summary>
internal static class LibTorchContext
{
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate IntPtr GlobalContext();

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void SetFlag(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    /// <summary>
    /// Turns NNPACK off. libtorch asks whether NNPACK is available before every convolution that oneDNN does not take
    /// (batch 1, as in streaming), and on CPUs where NNPACK cannot start it logs "Could not initialize NNPACK!"
    /// each time. libtorch picks oneDNN over NNPACK wherever both qualify, so NNPACK ran no convolution of ours.
    /// </summary>
    public static bool DisableNnpack(string libTorchCpu) => Set(libTorchCpu, "_ZN2at7Context20setUserEnabledNNPACKEb", false);

    private static bool Set(string libTorchCpu, string setter, bool enabled)
    {
        if (!NativeLibrary.TryLoad(libTorchCpu, out var handle)
            || !NativeLibrary.TryGetExport(handle, "_ZN2at13globalContextEv", out var global)
            || !NativeLibrary.TryGetExport(handle, setter, out var set))
            return false;
        var context = Marshal.GetDelegateForFunctionPointer<GlobalContext>(global)();
        Marshal.GetDelegateForFunctionPointer<SetFlag>(set)(context, enabled);
        return true;
    }
}
