using Spectre.Console;
using Spectre.Console.Rendering;
using TfCrnn.Progress;
using TfCrnn.Training;

namespace TfCrnn.Cli.Rendering;

/// <summary>
/// Shows a training run on stderr: on a terminal a live table of the recent epochs and a status
/// line (epoch, batch, loss, accuracy, learning rate, ETA); otherwise one log line per epoch and a
/// progress line at most every 10 s. Runs side by side (<see cref="TrainingProgress.Run"/>) get a status line each
/// and their names on the epoch rows and log lines.
/// </summary>
internal static class TrainingProgressDisplay
{
    private const int EpochRows = 12;

    public static async Task<T> RunAsync<T>(Func<IProgress<TrainingProgress>, IProgress<TaskProgress>, Task<T>> work)
    {
        if (!ProgressDisplay.Interactive)
        {
            var plain = new PlainLog();
            return await work(plain, plain);
        }
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        var live = new LiveView();
        T result = default!;
        await console.Live(live.Render()).AutoClear(false).StartAsync(async context =>
        {
            live.Changed = () => context.UpdateTarget(live.Render());
            result = await work(live, live);
        });
        return result;
    }

    /// <summary>"RUN " before a line of a named run; nothing for a single run.</summary>
    private static string Prefix(string run) => run.Length > 0 ? run + " " : "";

    private static string Describe(TrainingProgress p)
    {
        var run = Prefix(p.Run);
        var eta = p.Eta is { } t ? $", epoch ETA {t:hh\\:mm\\:ss}" : "";
        return p.Phase switch
        {
            TrainingPhase.Training => $"{run}epoch {p.Epoch}/{p.MaxEpochs} (stage {p.Stage}, lr {p.LearningRate:G3}): batch {p.Batch}/{p.Batches}, " +
                                      $"loss {p.Loss:0.0000}, accuracy {p.Accuracy:P1}{eta}",
            TrainingPhase.Validating => $"{run}epoch {p.Epoch}/{p.MaxEpochs}: validating {p.Batch}/{p.Batches} clips{eta}",
            TrainingPhase.Selecting => $"{run}epoch {p.Epoch}/{p.MaxEpochs}: scoring the --select-on folder {p.Batch}/{p.Batches} clips",
            _ => $"{run}testing the best checkpoint: {p.Batch}/{p.Batches} clips",
        };
    }

    private static string Summary(string run, EpochMetrics m) =>
        $"{Prefix(run)}epoch {m.Epoch}: train loss {m.TrainLoss:0.0000} accuracy {m.TrainAccuracy:P2} | valid loss {m.ValidLoss:0.0000} " +
        $"accuracy {m.ValidAccuracy:P2}" + (m.SelectAccuracy is { } select ? $" | select-on {select:P2} (keywords {m.SelectKeywordAccuracy:P2})" : "") +
        $" | stage {m.Stage} lr {m.LearningRate:G3} | {m.Seconds:0.0} s";

    private sealed class PlainLog : IProgress<TrainingProgress>, IProgress<TaskProgress>
    {
        private readonly Lock gate = new();
        private DateTime lastLine = DateTime.MinValue;

        public void Report(TrainingProgress value)
        {
            lock (gate)
            {
                if (value.Completed is { } metrics)
                {
                    Console.Error.WriteLine(Summary(value.Run, metrics));
                    lastLine = DateTime.UtcNow;
                }
                else if (DateTime.UtcNow - lastLine > TimeSpan.FromSeconds(10))
                {
                    Console.Error.WriteLine(Describe(value));
                    lastLine = DateTime.UtcNow;
                }
            }
        }

        public void Report(TaskProgress value)
        {
            lock (gate)
            {
                var done = value.Total > 0 && value.Completed >= value.Total;
                if (!done && DateTime.UtcNow - lastLine < TimeSpan.FromSeconds(10)) return;
                Console.Error.WriteLine($"{value.Task}: {value.Completed}{(value.Total > 0 ? $"/{value.Total}" : "")}");
                lastLine = DateTime.UtcNow;
            }
        }
    }

    private sealed class LiveView : IProgress<TrainingProgress>, IProgress<TaskProgress>
    {
        private readonly Lock gate = new();
        private readonly List<(string Run, EpochMetrics Metrics)> epochs = [];
        // One status line per run ("" for a single run), in the order the runs first reported; "" also holds task lines.
        private readonly Dictionary<string, string> statuses = new() { [""] = "opening the dataset" };
        private DateTime lastRender = DateTime.MinValue;

        public Action? Changed { get; set; }

        public void Report(TrainingProgress value)
        {
            lock (gate)
            {
                if (value.Completed is { } metrics) epochs.Add((value.Run, metrics));
                if (value.Run.Length > 0) statuses.Remove("");
                statuses[value.Run] = Describe(value);
                Refresh(force: value.Completed is not null);
            }
        }

        public void Report(TaskProgress value)
        {
            lock (gate)
            {
                statuses[""] = $"{value.Task}: {value.Completed}{(value.Total > 0 ? $"/{value.Total}" : "")}";
                Refresh(force: false);
            }
        }

        private void Refresh(bool force)
        {
            // The live display redraws on every update; a few times a second is enough.
            if (!force && DateTime.UtcNow - lastRender < TimeSpan.FromMilliseconds(200)) return;
            lastRender = DateTime.UtcNow;
            Changed?.Invoke();
        }

        public IRenderable Render()
        {
            lock (gate)
            {
                var named = epochs.Any(e => e.Run.Length > 0);
                // Two-line headers and one space between columns keep a named run's rows within 80 columns.
                var table = new Table().Border(TableBorder.Simple);
                if (named) table.AddColumn(new TableColumn("run").NoWrap());
                table.AddColumns("epoch", "stage", "lr", "train\nloss", "train\nacc", "valid\nloss", "valid\nacc", "seconds");
                foreach (var column in table.Columns) column.Padding(0, 0, 1, 0);
                foreach (var (run, m) in epochs.TakeLast(EpochRows))
                {
                    string[] cells = [m.Epoch.ToString(), m.Stage.ToString(), m.LearningRate.ToString("G3"), m.TrainLoss.ToString("0.0000"),
                        m.TrainAccuracy.ToString("P2"), m.ValidLoss.ToString("0.0000"), m.ValidAccuracy.ToString("P2"), m.Seconds.ToString("0.0")];
                    table.AddRow(named ? [run, .. cells] : cells);
                }
                return new Rows([table, .. statuses.Values.Select(line => new Markup(Markup.Escape(line)))]);
            }
        }
    }
}
