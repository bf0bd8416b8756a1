using Spectre.Console;
using TfCrnn.Progress;

namespace TfCrnn.Cli.Rendering;

/// <summary>
/// Shows library progress: a live bar on a terminal, a plain line every few seconds otherwise
/// (logs, CI), on stderr so that stdout stays clean for <c>--json</c>.
/// </summary>
internal static class ProgressDisplay
{
    public static bool Interactive =>
        !Console.IsErrorRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    /// <summary>Runs <paramref name="work"/>, rendering every <see cref="TaskProgress"/> it reports.</summary>
    public static async Task<T> RunAsync<T>(Func<IProgress<TaskProgress>, Task<T>> work)
    {
        if (!Interactive)
            return await work(new PlainProgress());
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return await console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context => await work(new BarProgress(context)));
    }

    private sealed class BarProgress(ProgressContext context) : IProgress<TaskProgress>
    {
        private readonly Dictionary<string, ProgressTask> tasks = [];

        public void Report(TaskProgress value)
        {
            lock (tasks)
            {
                if (!tasks.TryGetValue(value.Task, out var task))
                    tasks[value.Task] = task = context.AddTask(Markup.Escape(value.Task), maxValue: Math.Max(1, value.Total));
                if (value.Total > 0) task.MaxValue = value.Total;
                else task.IsIndeterminate = true;
                task.Value = value.Completed;
                if (value.Total > 0 && value.Completed >= value.Total) task.StopTask();
            }
        }
    }

    /// <summary>One line per task at most every 5 s, plus its last line.</summary>
    private sealed class PlainProgress : IProgress<TaskProgress>
    {
        private readonly Dictionary<string, DateTime> lastPrinted = [];

        public void Report(TaskProgress value)
        {
            lock (lastPrinted)
            {
                var now = DateTime.UtcNow;
                var done = value.Total > 0 && value.Completed >= value.Total;
                if (!done && lastPrinted.TryGetValue(value.Task, out var last) && now - last < TimeSpan.FromSeconds(5))
                    return;
                lastPrinted[value.Task] = now;
                var total = value.Total > 0 ? $"/{value.Total}" : "";
                Console.Error.WriteLine($"{value.Task}: {value.Completed}{total}");
            }
        }
    }
}
