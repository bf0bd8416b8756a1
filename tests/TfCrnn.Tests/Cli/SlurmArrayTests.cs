using System.Diagnostics;
using TfCrnn.Analysis;
using TfCrnn.Tests.Support;

namespace TfCrnn.Tests.Cli;

/// <summary>
/// The Table I job array on a real Slurm cluster: <c>table plan</c>, <c>sbatch --wait slurm.sh</c>, <c>table collect</c>.
/// Runs where <c>sbatch</c> and an idle node answer (CI starts one with <c>scripts/slurm-one-node.sh</c>), is skipped
/// with the reason elsewhere.
/// </summary>
public sealed class SlurmArrayTests
{
    [SkippableFact]
    public async Task ThePlannedArrayRunsEveryJobAndCollectFillsTheTable()
    {
        var (sinfo, nodes) = await ShellAsync("sinfo", "-h -o %T", TimeSpan.FromSeconds(10));
        Skip.If(sinfo != 0 || !nodes.Contains("idle"), "no Slurm cluster answers here (sinfo shows no idle node); CI starts one");

        using var data = new ToneDataset(trainPerWord: 2, validPerWord: 1, testPerWord: 1);
        using var folder = new TempDirectory("slurm");
        var plan = folder.Combine("plan");
        (await CliRun.RunAsync(["table", "plan", "--data", data.Path, "--out", plan, "--seeds", "1", "--width", "8", "--batch-size", "4",
            "--max-epochs", "1", "--threads", "1"])).Succeeded();
        // The first run builds the dataset's cache; array tasks then only read it.
        (await CliRun.RunAsync(["data", "stats", "--data", data.Path])).Succeeded();

        var tfcrnn = $"dotnet {Path.Combine(AppContext.BaseDirectory, "TfCrnn.Cli.dll")}";
        var (status, output) = await ShellAsync("sbatch", $"--wait {Path.Combine(plan, TablePlan.SlurmFile)}", TimeSpan.FromMinutes(8),
            ("TFCRNN", tfcrnn));
        var logs = string.Join("\n", Directory.GetFiles(Path.Combine(plan, "logs")).Select(f => $"{Path.GetFileName(f)}: {File.ReadAllText(f)}"));
        Assert.True(status == 0, $"sbatch --wait: exit {status}\n{output}\n{logs}");

        var collected = (await CliRun.RunAsync(["table", "collect", "--plan", plan])).Succeeded();
        Assert.Equal(17, TableCollector.Collect(plan).FinishedRuns);
        Assert.Contains("| CNN | Basic |", collected.Stdout);
        Assert.Equal(17, Directory.GetFiles(Path.Combine(plan, "logs")).Length);
    }

    private static async Task<(int ExitCode, string Output)> ShellAsync(string program, string arguments, TimeSpan timeout,
        params (string Name, string Value)[] environment)
    {
        var info = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment) info.Environment[name] = value;
        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (-1, $"{program} not found");
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            try
            {
                await ChildProcess.WaitAsync(process, timeout, $"{program} {arguments}");
            }
            catch (TimeoutException e)
            {
                return (-1, e.Message);
            }
            return (process.ExitCode, await stdout + await stderr);
        }
    }
}
