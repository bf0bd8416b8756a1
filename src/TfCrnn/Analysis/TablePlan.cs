using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using TfCrnn.IO;

namespace TfCrnn.Analysis;

/// <summary>A missing or broken Table I plan or run result; the message names the file.</summary>
public sealed class TableException(string message, Exception? inner = null) : TfCrnnException(message, inner!);

/// <summary>
/// What <c>tfcrnn table plan</c> fixes: the dataset, the seeds and the <c>tfcrnn train</c> options that scale every
/// run down (null = the paper's value). Saved as <c>plan.json</c> in the plan folder.
/// </summary>
public sealed record TablePlanOptions
{
    /// <summary>The plan folder; not saved in <c>plan.json</c> (where it lives says it).</summary>
    [JsonIgnore]
    public string OutputDirectory { get; init; } = ".";

    public required string DataPath { get; init; }

    /// <summary>Runs per configuration, with seeds 0 … Seeds − 1.</summary>
    public int Seeds { get; init; } = 3;

    public int? Width { get; init; }
    public int? MaxEpochs { get; init; }
    public int? LimitTrain { get; init; }
    public int? BatchSize { get; init; }
    public int? Patience { get; init; }
    public int? Threads { get; init; }

    /// <summary>"cpu" or "cuda"; null = train's default.</summary>
    public string? Device { get; init; }

    /// <summary>CPUs a Slurm array task requests when the plan sets no <see cref="Threads"/>.</summary>
    public const int DefaultCpusPerTask = 4;

    /// <summary>CPUs each Slurm array task requests (<c>--cpus-per-task</c>): <see cref="Threads"/>, or <see cref="DefaultCpusPerTask"/>.</summary>
    [JsonIgnore]
    public int CpusPerTask => Threads is > 0 ? Threads.Value : DefaultCpusPerTask;

    /// <summary>
    /// Memory each Slurm array task requests (<c>--mem</c>), in GiB: a fixed part for the runtime, libtorch and the
    /// dataset's memory-mapped cache, plus the training activations, which grow with width × batch size (measured; see
    /// the constants), rounded up, with a quarter more for headroom.
    /// </summary>
    [JsonIgnore]
    public int MemoryGigabytes
    {
        get
        {
            var activations = ActivationMegabytesPerWidthClip * (Width ?? PaperWidth) * (BatchSize ?? PaperBatchSize) / 1024.0;
            return (int)Math.Ceiling((BaseGigabytes + activations) * 1.25);
        }
    }

    // Peak resident memory of `tfcrnn train` (TF-Res-SE, the largest variant, CPU, one thread) measured with
    // /usr/bin/time: 0.31 GB at width 8 / batch 8, 0.46 GB at 16 / 16, 1.10 GB at 32 / 32, so 0.84 MB per unit of
    // width × batch size; the paper's 128 / 64 gives about 7 GB. The base covers the runtime, libtorch and the model;
    // the dataset's cache is memory-mapped and may be evicted.
    private const double BaseGigabytes = 1.0;
    private const double ActivationMegabytesPerWidthClip = 0.84;
    private const int PaperWidth = 128;
    private const int PaperBatchSize = 64;

    /// <summary>Throws <see cref="OptionException"/> naming the first bad value.</summary>
    public TablePlanOptions Validate()
    {
        OptionChecks.Required("--data", DataPath);
        OptionChecks.Required("--out", OutputDirectory);
        OptionChecks.AtLeast("--seeds", Seeds, 1);
        if (Width is { } width) OptionChecks.Width("--width", width);
        if (MaxEpochs is { } epochs) OptionChecks.AtLeast("--max-epochs", epochs, 1);
        if (LimitTrain is { } limit) OptionChecks.AtLeast("--limit-train", limit, 1);
        if (BatchSize is { } batch) OptionChecks.AtLeast("--batch-size", batch, 1);
        if (Patience is { } patience) OptionChecks.NotNegative("--patience", patience);
        if (Threads is { } threads) OptionChecks.NotNegative("--threads", threads);
        if (Device is { } device) OptionChecks.OneOf("--device", device, ["cpu", "cuda"]);
        return this;
    }

    /// <summary>Every run: seed by seed, the 15 configurations in the paper's order within a seed, so that a partial
    /// local run already fills the whole table once.</summary>
    [JsonIgnore]
    public IReadOnlyList<TableJob> Jobs =>
    [
        .. Enumerable.Range(0, Seeds).SelectMany(seed => TableOne.Configurations.Select((configuration, i) =>
            new TableJob(seed * TableOne.Configurations.Count + i, configuration, seed))),
    ];
}

/// <summary>One <c>tfcrnn train</c> run of the plan.</summary>
public sealed record TableJob(int Index, TableConfiguration Configuration, int Seed)
{
    /// <summary>The run folder, relative to the plan folder.</summary>
    public string RunDirectory => $"runs/{Configuration.Variant}-{Configuration.Io}-seed{Seed.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The <c>tfcrnn train</c> command line of this job, run from the plan folder (arguments quoted for a POSIX shell).</summary>
    public string CommandLine(TablePlanOptions plan)
    {
        var arguments = new List<string>
        {
            "tfcrnn", "train", "--data", Path.GetFullPath(plan.DataPath), "--model", Configuration.Variant,
            "--io", Configuration.Io, "--seed", Seed.ToString(CultureInfo.InvariantCulture), "--out", RunDirectory,
        };
        void Optional(string name, object? value)
        {
            if (value is not null) arguments.AddRange([name, Convert.ToString(value, CultureInfo.InvariantCulture)!]);
        }
        Optional("--width", plan.Width);
        Optional("--max-epochs", plan.MaxEpochs);
        Optional("--limit-train", plan.LimitTrain);
        Optional("--batch-size", plan.BatchSize);
        Optional("--patience", plan.Patience);
        Optional("--threads", plan.Threads);
        Optional("--device", plan.Device);
        return string.Join(' ', arguments.Select(ShellQuote));
    }

    private static string ShellQuote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=+,".Contains(c))
            ? argument
            : "'" + argument.Replace("'", "'\\''") + "'";
}

/// <summary>Writes and reads a Table I plan folder: <c>plan.json</c>, <c>jobs.tsv</c>, <c>slurm.sh</c>, <c>logs/</c>, <c>runs/</c>.</summary>
public static class TablePlan
{
    public const string PlanFile = "plan.json";
    public const string JobsFile = "jobs.tsv";
    public const string SlurmFile = "slurm.sh";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Writes the plan folder (data path made absolute); returns the jobs.</summary>
    public static IReadOnlyList<TableJob> Write(TablePlanOptions options)
    {
        options.Validate();
        if (!Directory.Exists(options.DataPath) && !File.Exists(options.DataPath))
            throw new TableException($"dataset not found: {options.DataPath}");
        var plan = options with { DataPath = Path.GetFullPath(options.DataPath), OutputDirectory = Path.GetFullPath(options.OutputDirectory) };
        Directory.CreateDirectory(Path.Combine(plan.OutputDirectory, "logs"));
        Directory.CreateDirectory(Path.Combine(plan.OutputDirectory, "runs"));
        var jobs = plan.Jobs;
        AtomicFile.WriteAllText(Path.Combine(plan.OutputDirectory, PlanFile), JsonSerializer.Serialize(plan, JsonOptions) + "\n");
        AtomicFile.WriteAllText(Path.Combine(plan.OutputDirectory, JobsFile), JobList(plan, jobs));
        var slurm = Path.Combine(plan.OutputDirectory, SlurmFile);
        AtomicFile.WriteAllText(slurm, SlurmScript(plan, jobs.Count));
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(slurm, File.GetUnixFileMode(slurm) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute);
        return jobs;
    }

    /// <summary>Reads <c>plan.json</c> of a plan folder.</summary>
    public static TablePlanOptions Load(string directory)
    {
        var path = Path.Combine(directory, PlanFile);
        if (!File.Exists(path))
            throw new TableException($"{path}: no plan here; create one with `tfcrnn table plan`");
        try
        {
            var plan = JsonSerializer.Deserialize<TablePlanOptions>(File.ReadAllText(path), JsonOptions)
                       ?? throw new JsonException("empty plan");
            return plan with { OutputDirectory = Path.GetFullPath(directory) };
        }
        catch (JsonException e)
        {
            throw new TableException($"{path}: not a valid plan ({e.Message})", e);
        }
    }

    /// <summary>Tab-separated: index, model, io, seed, run folder, command line; a header line first.</summary>
    private static string JobList(TablePlanOptions plan, IReadOnlyList<TableJob> jobs)
    {
        var text = new StringBuilder("index\tmodel\tio\tseed\trun_dir\tcommand\n");
        foreach (var job in jobs)
            text.Append(CultureInfo.InvariantCulture,
                $"{job.Index}\t{job.Configuration.Variant}\t{job.Configuration.Io}\t{job.Seed}\t{job.RunDirectory}\t{job.CommandLine(plan)}\n");
        return text.ToString();
    }

    private static string SlurmScript(TablePlanOptions plan, int jobs)
    {
        var gpu = plan.Device == "cuda" ? "#SBATCH --gres=gpu:1" : "##SBATCH --gres=gpu:1";
        return $$"""
            #!/usr/bin/env bash
            # Table I of Kim & Nam as a Slurm job array, written by `tfcrnn table plan`.
            # Array task i runs job i of jobs.tsv: one `tfcrnn train` run. Submit with:
            #   sbatch {{plan.OutputDirectory}}/slurm.sh
            # A requeued or resubmitted task resumes its run from runs/<job>/last; finished runs (result.json) are skipped.
            # Collect the table afterwards with: tfcrnn table collect --plan {{plan.OutputDirectory}}
            #SBATCH --job-name=tfcrnn-table1
            #SBATCH --array=0-{{jobs - 1}}
            #SBATCH --chdir={{plan.OutputDirectory}}
            #SBATCH --output=logs/%A_%a.out
            #SBATCH --requeue
            # CPUs: the plan's --threads (default {{TablePlanOptions.DefaultCpusPerTask}}); memory: estimated from --width and --batch-size.
            #SBATCH --cpus-per-task={{plan.CpusPerTask}}
            #SBATCH --mem={{plan.MemoryGigabytes}}G
            #SBATCH --time=2-00:00:00
            # GPU runs: plan with --device cuda (which enables the line below), build tfcrnn with
            # `dotnet build -p:TorchBackend=cuda`, and name your cluster's GPU partition if it has one.
            {{gpu}}
            ##SBATCH --partition=gpu
            set -euo pipefail
            # libtorch sizes its thread pool by OMP_NUM_THREADS: the CPUs this task requested, not the whole node.
            export OMP_NUM_THREADS={{plan.CpusPerTask}}
            # Outside sbatch (testing a task by hand), run from the plan folder like --chdir does.
            [[ -n "${SLURM_JOB_ID:-}" ]] || cd "$(dirname "$0")"
            # The tfcrnn command: the installed .NET tool, or e.g. TFCRNN=/path/to/clone/tfcrnn.
            TFCRNN="${TFCRNN:-tfcrnn}"
            task="${SLURM_ARRAY_TASK_ID:?run with sbatch, or set SLURM_ARRAY_TASK_ID to a job index}"
            job="$(awk -F '\t' -v task="$task" 'NR > 1 && $1 == task' jobs.tsv)"
            if [[ -z "$job" ]]; then
              echo "no job $task in $PWD/jobs.tsv" >&2
              exit 1
            fi
            IFS=$'\t' read -r index model io seed run_dir command <<<"$job"
            if [[ -f "$run_dir/result.json" ]]; then
              echo "job $index ($model $io seed $seed) has finished already"
              exit 0
            fi
            # A started run (config.json written) continues from its last checkpoint.
            resume=""
            [[ -f "$run_dir/config.json" ]] && resume=" --resume"
            echo "job $index: $command$resume"
            eval "$TFCRNN ${command#tfcrnn }$resume"

            """;
    }
}
