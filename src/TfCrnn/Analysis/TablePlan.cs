using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using TfCrnn.IO;
using TfCrnn.Models;
using TfCrnn.Training;

namespace TfCrnn.Analysis;

/// <summary>Which table a plan fills.</summary>
internal enum TableStudy
{
    /// <summary>The paper's Table I: 15 configurations (<see cref="TableOne"/>).</summary>
    [JsonStringEnumMemberName("table1")] TableOne,

    /// <summary>The step-size grid search (<see cref="StepGrid"/>).</summary>
    [JsonStringEnumMemberName("steps")] Steps,
}

/// <summary>
/// What <c>tfcrnn table plan</c> and <c>tfcrnn table steps</c> fix: the table, the dataset, the seeds and the
/// <c>tfcrnn train</c> options that scale every run down (null = the paper's value). Saved as <c>plan.json</c> in the
/// plan folder.
/// </summary>
internal sealed record TablePlanOptions
{
    /// <summary>The plan folder; not saved in <c>plan.json</c> (where it lives says it).</summary>
    [JsonIgnore]
    public string OutputDirectory { get; init; } = ".";

    public required string DataPath { get; init; }

    [JsonConverter(typeof(JsonStringEnumConverter<TableStudy>))]
    public TableStudy Study { get; init; } = TableStudy.TableOne;

    /// <summary>Runs per configuration, with seeds 0 … Seeds − 1.</summary>
    public int Seeds { get; init; } = 3;

    /// <summary>Step-size grid: the blocks to plan (<see cref="StepGrid.BlockNames"/>); null: all three.</summary>
    public IReadOnlyList<string>? Blocks { get; init; }

    /// <summary>Step-size grid: the output mode of every run, many2many (the default) or many2one.</summary>
    public string? Io { get; init; }

    /// <summary>Table I: the step of the recurrent rows (<see cref="Models.ModelConfig.WithStep"/>); null: 100 ms.</summary>
    public double? StepMs { get; init; }

    /// <summary>Table I: the window of the recurrent rows instead of twice <see cref="StepMs"/>.</summary>
    public double? WindowMs { get; init; }

    public int? Width { get; init; }
    public int? MaxEpochs { get; init; }
    public int? LimitTrain { get; init; }
    public int? BatchSize { get; init; }

    /// <summary>Initial learning rate of every run (paper: 0.025); reduced-scale runs learn faster with a higher one.</summary>
    public double? LearningRate { get; init; }

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
    /// Memory the Slurm array task of <paramref name="configuration"/> requests (<c>--mem</c>), in GiB: a fixed part for
    /// the runtime, libtorch and the dataset's memory-mapped cache, plus the model's training memory per clip
    /// (<see cref="ModelDeclaration.TrainingMegabytesPerClip"/>, at the plan's width) times the batch size, rounded up,
    /// with a quarter more for headroom.
    /// </summary>
    public int MemoryGigabytes(TableConfiguration configuration)
    {
        var config = TrainingOptionsOf(new TableJob(0, configuration, 0)).ModelConfig();
        var activations = config.Model.TrainingMegabytesPerClip(config) * (BatchSize ?? PaperBatchSize) / 1024.0;
        return (int)Math.Ceiling((BaseGigabytes + activations) * 1.25);
    }

    /// <summary>The most any task of the plan requests (<see cref="MemoryGigabytes(TableConfiguration)"/>): what <c>slurm.sh</c> asks for by default.</summary>
    [JsonIgnore]
    public int MostMemoryGigabytes => Configurations.Max(MemoryGigabytes);

    // The base covers the runtime, libtorch and the model; the dataset's cache is memory-mapped and may be evicted.
    private const double BaseGigabytes = 1.0;
    private const int PaperBatchSize = 64;

    /// <summary>The table's configurations in its order: Table I's 15, or the step-size grid of the chosen blocks.</summary>
    [JsonIgnore]
    public IReadOnlyList<TableConfiguration> Configurations => Study == TableStudy.Steps
        ? StepGrid.Configurations(Blocks ?? StepGrid.BlockNames, Io ?? TableOne.ManyToMany)
        : TableOne.Configurations;

    /// <summary>Every run: seed by seed, the configurations in the table's order within a seed, so that a partial
    /// local run already fills the whole table once.</summary>
    [JsonIgnore]
    public IReadOnlyList<TableJob> Jobs
    {
        get
        {
            var configurations = Configurations;
            return [.. Enumerable.Range(0, Seeds).SelectMany(seed => configurations.Select((configuration, i) =>
                new TableJob(seed * configurations.Count + i, configuration, seed)))];
        }
    }

    /// <summary>
    /// Throws <see cref="OptionException"/> naming the first bad option (a step that gives no valid model included), or
    /// <see cref="TableException"/> for a dataset that does not exist.
    /// </summary>
    public TablePlanOptions Validate()
    {
        OptionChecks.Required("--data", DataPath);
        OptionChecks.Required("--out", OutputDirectory);
        OptionChecks.AtLeast("--seeds", Seeds, 1);
        if (Width is { } width) OptionChecks.Width("--width", width);
        if (MaxEpochs is { } epochs) OptionChecks.AtLeast("--max-epochs", epochs, 1);
        if (LimitTrain is { } limit) OptionChecks.AtLeast("--limit-train", limit, 1);
        if (BatchSize is { } batch) OptionChecks.AtLeast("--batch-size", batch, 1);
        if (LearningRate is { } rate) OptionChecks.Positive("--lr", rate);
        if (Patience is { } patience) OptionChecks.NotNegative("--patience", patience);
        if (Threads is { } threads) OptionChecks.NotNegative("--threads", threads);
        if (Device is { } device) OptionChecks.OneOf("--device", device, ["cpu", "cuda"]);
        if (Study == TableStudy.Steps)
        {
            if (StepMs is not null || WindowMs is not null)
                throw new OptionException(StepMs is not null ? "--step-ms" : "--window-ms",
                    "does not apply to the step-size grid, which sets the step of every run");
            if (Blocks is not null && (Blocks.Count == 0 || Blocks.Any(block => !StepGrid.BlockNames.Contains(block))))
                throw new OptionException("--blocks", $"must be a comma-separated list of {string.Join(", ", StepGrid.BlockNames)}, " +
                                                      $"got '{string.Join(",", Blocks)}'");
            if (Io is not null) OptionChecks.OneOf("--io", Io, [TableOne.ManyToMany, TableOne.ManyToOne]);
        }
        else if (Blocks is not null || Io is not null)
            throw new OptionException(Blocks is not null ? "--blocks" : "--io",
                "chooses the runs of the step-size grid (table steps), not of Table I");
        foreach (var configuration in Configurations)
            TrainingOptionsOf(new TableJob(0, configuration, 0)).ModelConfig(); // throws naming --step-ms or --window-ms
        if (!Directory.Exists(DataPath) && !File.Exists(DataPath))
            throw new TableException($"dataset not found: {DataPath}");
        return this;
    }

    /// <summary>
    /// The options of a job's <c>tfcrnn train</c> command line (<see cref="TableJob.CommandLine"/>): the paper's values
    /// where the plan says nothing, the run folder inside the plan folder.
    /// </summary>
    public TrainingOptions TrainingOptionsOf(TableJob job)
    {
        var defaults = new TrainingOptions
        {
            DataPath = DataPath,
            Variant = job.Configuration.Variant,
            OutputDirectory = Path.Combine(OutputDirectory, job.RunDirectory),
        };
        var (stepMs, windowMs) = StepOf(job.Configuration);
        return defaults with
        {
            Io = OutputModes.Parse(job.Configuration.Io),
            Seed = job.Seed,
            Width = WidthOf(job.Configuration) ?? defaults.Width,
            StepMs = stepMs,
            WindowMs = windowMs,
            MaxEpochs = MaxEpochs ?? TrainingOptions.PaperMaxEpochs,
            LimitTrain = LimitTrain,
            BatchSize = BatchSize ?? defaults.BatchSize,
            LearningRate = LearningRate ?? defaults.LearningRate,
            Patience = Patience ?? defaults.Patience,
            Threads = Threads ?? defaults.Threads,
            Device = Device is { } device ? ComputeDevice.Parse("--device", device) : defaults.Device,
        };
    }

    /// <summary>The plan's width for a model that has one (the baseline AttnCRNN has none); null: the paper's.</summary>
    internal int? WidthOf(TableConfiguration configuration) =>
        ModelRegistry.Get(configuration.Variant).HasWidth ? Width : null;

    /// <summary>The step of a configuration: its own (grid), the plan's for a recurrent Table I row, none for the CNN.</summary>
    internal (double? StepMs, double? WindowMs) StepOf(TableConfiguration configuration) =>
        configuration.StepMs is { } step ? (step, null)
        : ModelRegistry.Get(configuration.Variant).HasSettableStep ? (StepMs, WindowMs)
        : (null, null);
}

/// <summary>One <c>tfcrnn train</c> run of the plan.</summary>
internal sealed record TableJob(int Index, TableConfiguration Configuration, int Seed)
{
    /// <summary>The run folder, relative to the plan folder: <c>runs/tfcrnn-se-many2many-seed0</c>, in the step-size
    /// grid <c>runs/tfcrnn-se-many2many-step12.5ms-seed0</c>.</summary>
    public string RunDirectory => $"runs/{Name}";

    /// <summary>The run's name: variant, output mode, step in the step-size grid, seed.</summary>
    public string Name => Configuration.StepMs is { } step
        ? $"{Configuration.Variant}-{Configuration.Io}-step{step.ToString(CultureInfo.InvariantCulture)}ms-seed{Seed.ToString(CultureInfo.InvariantCulture)}"
        : $"{Configuration.Variant}-{Configuration.Io}-seed{Seed.ToString(CultureInfo.InvariantCulture)}";

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
        Optional("--width", plan.WidthOf(Configuration));
        var (stepMs, windowMs) = plan.StepOf(Configuration);
        Optional("--step-ms", stepMs);
        Optional("--window-ms", windowMs);
        Optional("--max-epochs", plan.MaxEpochs);
        Optional("--limit-train", plan.LimitTrain);
        Optional("--batch-size", plan.BatchSize);
        Optional("--lr", plan.LearningRate);
        Optional("--patience", plan.Patience);
        Optional("--threads", plan.Threads);
        Optional("--device", plan.Device);
        return ShellWords.Join(arguments);
    }
}

/// <summary>Jobs of a plan whose models request the same memory (<see cref="TablePlan.MemoryGroups"/>).</summary>
/// <param name="Indices">Their array indices in Slurm's list syntax: <c>0-8,17-25</c>.</param>
internal sealed record SlurmMemoryGroup(string Indices, int Gigabytes, IReadOnlyList<string> Models)
{
    /// <summary>The <c>sbatch</c> command that submits these jobs alone with their memory (the options override the script's).</summary>
    public string SubmitCommand(TablePlanOptions plan) =>
        $"sbatch --array={Indices} --mem={Gigabytes}G {ShellWords.Join([Path.Combine(plan.OutputDirectory, TablePlan.SlurmFile)])}";
}

/// <summary>Writes and reads a plan folder: <c>plan.json</c>, <c>jobs.tsv</c>, <c>slurm.sh</c>, <c>logs/</c>, <c>runs/</c>.</summary>
internal static class TablePlan
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
            throw new TableException($"{path}: no plan here; create one with `tfcrnn table plan` or `tfcrnn table steps`");
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

    /// <summary>
    /// The plan's jobs grouped by the memory their model requests (<see cref="TablePlanOptions.MemoryGigabytes(TableConfiguration)"/>),
    /// smallest first: each group's array indices in Slurm's list syntax (<c>0-8,17-25</c>), its GiB and its models.
    /// </summary>
    public static IReadOnlyList<SlurmMemoryGroup> MemoryGroups(TablePlanOptions plan) =>
    [
        .. plan.Jobs.GroupBy(job => plan.MemoryGigabytes(job.Configuration)).OrderBy(group => group.Key)
            .Select(group => new SlurmMemoryGroup(Ranges([.. group.Select(job => job.Index)]), group.Key,
                [.. group.Select(job => job.Configuration.Variant).Distinct()])),
    ];

    /// <summary>Sorted indices as Slurm's array list: runs of consecutive ones as <c>a-b</c>, comma-separated.</summary>
    private static string Ranges(IReadOnlyList<int> indices)
    {
        var parts = new List<string>();
        for (var i = 0; i < indices.Count;)
        {
            var end = i;
            while (end + 1 < indices.Count && indices[end + 1] == indices[end] + 1) end++;
            parts.Add(end == i ? $"{indices[i]}" : $"{indices[i]}-{indices[end]}");
            i = end + 1;
        }
        return string.Join(",", parts);
    }

    private static string SlurmScript(TablePlanOptions plan, int jobs)
    {
        var groups = MemoryGroups(plan);
        var memory = groups.Count == 1
            ? $"# CPUs: the plan's --threads (default {TablePlanOptions.DefaultCpusPerTask}); memory: estimated from the model, --width and --batch-size."
            : $"# CPUs: the plan's --threads (default {TablePlanOptions.DefaultCpusPerTask}); memory: estimated per model from --width and --batch-size, and below the\n" +
              "# most any task needs. To give each model what it needs, submit one array per size instead of `sbatch slurm.sh`:\n" +
              string.Join("\n", groups.Select(g => $"#   {g.SubmitCommand(plan)}  # {string.Join(", ", g.Models)}"));
        var gpu = plan.Device == "cuda" ? "#SBATCH --gres=gpu:1" : "##SBATCH --gres=gpu:1";
        var (title, verb, name) = plan.Study == TableStudy.Steps
            ? ("The step-size grid search of Kim & Nam (Section III-C)", "steps", "tfcrnn-steps")
            : ("Table I of Kim & Nam", "plan", "tfcrnn-table1");
        return $$"""
            #!/usr/bin/env bash
            # {{title}} as a Slurm job array, written by `tfcrnn table {{verb}}`.
            # Array task i runs job i of jobs.tsv: one `tfcrnn train` run. Submit with:
            #   sbatch {{plan.OutputDirectory}}/slurm.sh
            # A requeued or resubmitted task resumes its run from runs/<job>/last; finished runs (result.json) are skipped.
            # Collect the table afterwards with: tfcrnn table collect --plan {{plan.OutputDirectory}}
            #SBATCH --job-name={{name}}
            #SBATCH --array=0-{{jobs - 1}}
            #SBATCH --chdir={{plan.OutputDirectory}}
            #SBATCH --output=logs/%A_%a.out
            #SBATCH --requeue
            {{memory}}
            #SBATCH --cpus-per-task={{plan.CpusPerTask}}
            #SBATCH --mem={{plan.MostMemoryGigabytes}}G
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
