using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using TfCrnn;
using TfCrnn.Cli;
using TfCrnn.Cli.Commands;
using TfCrnn.IO;
using TfCrnn.Native;

// A plain Command, not RootCommand, so that help shows "tfcrnn" whatever the binary is called.
var root = new Command("tfcrnn", "Speech-command recognition from raw waveforms with Temporal Feedback CRNNs (Kim & Nam).")
{
    new HelpOption(),
    new VersionOption(),
};
foreach (var command in CommandCatalog.All())
    root.Subcommands.Add(command);

var parse = root.Parse(args);
if (parse.Action is ParseErrorAction)
{
    Console.Error.WriteLine($"error: {ParseErrors.Describe(parse)}");
    return ExitCodes.InputError;
}
// libtorch was loaded when the commands were built (TfCrnn's module initializer); before the verb's first tensor,
// oneDNN is set up for what the verb runs.
TorchNativeLoader.PlanWorkload(CommandCatalog.WorkloadOf(parse.CommandResult.Command));
try
{
    return await parse.InvokeAsync(new InvocationConfiguration
    {
        EnableDefaultExceptionHandler = false,
        // Ctrl+C cancels the action's token; training needs time to finish its batch and save before the process ends.
        ProcessTerminationTimeout = TimeSpan.FromSeconds(60),
    });
}
catch (TfCrnnException e)
{
    Console.Error.WriteLine($"error: {InputErrors.Describe(e)}");
    return ExitCodes.InputError;
}
catch (Exception e) when (DiskFull.Find(e) is { } full)
{
    // Outputs are written to temp files and renamed, so what was saved before is intact.
    Console.Error.WriteLine($"error: {DiskFull.Describe(full)}");
    return ExitCodes.InputError;
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("interrupted");
    return ExitCodes.Interrupted;
}
catch (Exception e) when (Environment.GetEnvironmentVariable("TFCRNN_STACK_TRACE") is null)
{
    // A bug rather than an input error: one line still, and the way to see more.
    Console.Error.WriteLine($"error: unexpected {e.GetType().Name}: {e.Message} (TFCRNN_STACK_TRACE=1 shows where)");
    return ExitCodes.Failure;
}
