using TfCrnn.Native;

namespace TfCrnn.Tests.Native;

public sealed class CpuInfoTests
{
    [Fact]
    public void KernelCpuListsExpandToEveryCpu()
    {
        Assert.Equal([0, 1, 2, 3, 8, 10, 11], CpuInfo.ParseCpuList("0-3,8,10-11\n"));
        Assert.Equal([5], CpuInfo.ParseCpuList("5"));
    }

    [Fact]
    public void ThisMachineHasAsManyPhysicalCoresAsDistinctCoreIds()
    {
        var cpu = CpuInfo.Current;
        var distinct = Enumerable.Range(0, Environment.ProcessorCount)
            .Select(i => $"/sys/devices/system/cpu/cpu{i}/topology")
            .Where(Directory.Exists)
            .Select(t => File.ReadAllText(Path.Combine(t, "physical_package_id")).Trim() + ":" + File.ReadAllText(Path.Combine(t, "core_id")).Trim())
            .Distinct()
            .Count();
        Assert.InRange(cpu.PhysicalCores, 1, Environment.ProcessorCount);
        var online = Directory.GetDirectories("/sys/devices/system/cpu", "cpu*").Count(d => Path.GetFileName(d)[3..].All(char.IsAsciiDigit));
        if (Environment.ProcessorCount == online) // no affinity mask or CPU quota narrows the set
            Assert.Equal(distinct, cpu.PhysicalCores);
        var flags = File.ReadLines("/proc/cpuinfo").First(l => l.StartsWith("flags", StringComparison.Ordinal));
        Assert.Equal(flags.Contains(" avx512_bf16") || flags.Contains(" amx_bf16"), cpu.SupportsBFloat16);
        Assert.Equal(cpu.PhysicalCores, TorchThreads.Apply(0));
        Assert.Equal(cpu.PhysicalCores, TorchSharp.torch.get_num_threads());
    }
}
