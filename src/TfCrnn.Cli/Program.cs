using System.CommandLine;
using System.CommandLine.Help;
using TfCrnn;
using TfCrnn.Cli.Commands;
using TfCrnn.Native;

TorchNativeLoader.EnsureLoaded();

// A plain Command, not RootCommand, so that help shows "tfcrnn" whatever the binary is called.
var root = new Command("tfcrnn", "Speech-command recognition from raw waveforms with Temporal Feedback CRNNs (Kim & Nam).")
{
    new HelpOption(),
    new VersionOption(),
};
foreach (var command in CommandCatalog.All())
    root.Subcommands.Add(command);

try
{
    return await root.Parse(args).InvokeAsync(new InvocationConfiguration
    {
        EnableDefaultExceptionHandler = false,
        // Ctrl+C cancels the action's token; training needs time to finish its batch and save before the process ends.
        ProcessTerminationTimeout = TimeSpan.FromSeconds(60),
    });
}
catch (TfCrnnException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}
