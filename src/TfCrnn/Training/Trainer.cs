using System.Diagnostics;
using TfCrnn.Checkpoints;
using TfCrnn.Data;
using TfCrnn.Evaluation;
using TfCrnn.Interop;
using TfCrnn.Models;
using TfCrnn.Native;
using TfCrnn.Progress;
using TfCrnn.SpeechEmbedding;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TfCrnn.Training;

/// <summary>
/// Trains a model with the paper's recipe (docs/reference-implementation.md, "Training") into a run folder: SGD with Nesterov
/// momentum (or Adam, <see cref="TrainingOptions.Optimizer"/>), shuffled drop-last batches with the shift augmentation
/// (or the options' augmentation recipe), last-step validation, the staged plateau schedule (or a cosine,
/// <see cref="TrainingOptions.Schedule"/>), and the test score of the best-validation checkpoint.
/// </summary>
public static class Trainer
{
    private const long DropoutStream = 0x64726F70; // "drop": the dropout generator's stream of the run's seed
    private static readonly Lock DefaultGeneratorGate = new();

    /// <summary>The <c>train</c> verb: trains into the run folder (or resumes it), then tests the best checkpoint.</summary>
    /// <exception cref="TrainingException">The run diverged, or there is nothing to resume.</exception>
    public static Task<RunResult> RunAsync(TrainingOptions options, IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default) =>
        RunAsync(options, progress, dataProgress: null, cancellationToken);

    /// <param name="dataProgress">Progress of opening the dataset (building its cache the first time).</param>
    /// <exception cref="OperationCanceledException">After the state at the last finished batch was saved to <c>last</c>.</exception>
    public static Task<RunResult> RunAsync(TrainingOptions options, IProgress<TrainingProgress>? progress,
        IProgress<TaskProgress>? dataProgress, CancellationToken cancellationToken) =>
        Task.Run(() =>
        {
            using var session = new TrainingSession(options, progress, dataProgress, cancellationToken);
            return session.Run();
        }, CancellationToken.None);

    /// <summary>
    /// One SGD step on a batch; every tensor it makes is freed before it returns, so native memory
    /// stays flat however many batches run.
    /// </summary>
    /// <param name="waveforms">(B, 1, 16000).</param>
    /// <param name="labels">(B) int64.</param>
    /// <param name="reject">Returns an exception to throw, before the update, for a loss value that must not be applied.</param>
    /// <returns>The loss and the number of clips whose last step was right.</returns>
    internal static (float Loss, long Correct) TrainStep(SpeechCommandModel model, OptimizerHelper optimizer, Tensor waveforms,
        Tensor labels, OutputMode io, Func<float, Exception?> reject)
    {
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        using var output = model.forward(waveforms);
        var loss = Losses.Training(output.Logits, labels, io);
        var value = loss.item<float>();
        if (reject(value) is { } error) throw error;
        loss.backward();
        optimizer.step();
        return (value, output.LastStepLogits.argmax(-1).eq(labels).sum().item<long>());
    }

    /// <summary>The torch device of <paramref name="device"/>, refusing CUDA where this build or machine has none.</summary>
    public static Device SelectDevice(ComputeDevice device)
    {
        if (device.IsCuda && !cuda.is_available())
            throw new TrainingException(
                $"device '{device}': CUDA is not available. This build uses the CPU TorchSharp package; on a machine with an " +
                "NVIDIA GPU and driver, build with `dotnet build -c Release -p:TorchBackend=cuda` (Directory.Build.props).");
        return torch.device(device.ToString());
    }

    /// <summary>
    /// The options a run uses: for a resumed run, the saved recipe with this session's machine settings and, when
    /// given, its new epoch cap. Throws <see cref="OptionException"/> or <see cref="TrainingException"/>.
    /// </summary>
    internal static TrainingOptions Resolve(TrainingOptions options, RunFolder folder)
    {
        options.Validate();
        if (!options.Resume)
        {
            if (RunFolder.IsRunFolder(folder.Directory))
                throw new TrainingException($"{folder.Directory} already holds a run; use --resume to continue it or choose another --out");
            var frozen = ModelRegistry.Get(options.Variant).FrontEnd.Kind == FrontEndKind.Frozen;
            return CheckInitFrom(ValidateModel(options with
            {
                MaxEpochs = options.EpochCap,
                Task = options.TaskInForce,
                AugmentCopies = frozen ? options.AugmentCopies ?? TrainingOptions.DefaultAugmentCopies : null,
                SelectStyle = options.SelectOn is null ? null : options.SelectStyle ?? FolderScoring.TwelveLabel,
            }));
        }
        if (!folder.HasCheckpoint(RunFolder.Last))
            throw new TrainingException($"{folder.Directory}: nothing to resume (no {RunFolder.Last}/{RunFolder.StateFile})");
        var saved = folder.ReadConfig().Training;
        if (options.Variant.Length > 0 && options.Variant != saved.Variant)
            throw new TrainingException($"{folder.ConfigPath}: the run trains {saved.Variant}, not {options.Variant}");
        return ValidateModel((saved with
        {
            DataPath = options.DataPath.Length > 0 ? options.DataPath : saved.DataPath,
            OutputDirectory = folder.Directory,
            MaxEpochs = options.MaxEpochs ?? saved.EpochCap,
            Threads = options.Threads,
            Device = options.Device,
            TimeLimitMinutes = options.TimeLimitMinutes,
            SelectOn = options.SelectOn ?? saved.SelectOn,
            EncoderDirectory = options.EncoderDirectory,
            EmbeddingCache = options.EmbeddingCache,
            Resume = true,
        }).Validate());
    }

    /// <summary>
    /// A fine-tuning run's starting model must be the model the run trains, label for label; only its dropout, a choice of
    /// training, may differ.
    /// </summary>
    private static TrainingOptions CheckInitFrom(TrainingOptions options)
    {
        if (options.InitFrom is not { } path) return options;
        ModelConfig start;
        try
        {
            start = CheckpointLocator.ReadConfig(path);
        }
        catch (CheckpointException e)
        {
            throw new OptionException("--init-from", $"cannot be used: {e.Message}");
        }
        var trained = options.ModelConfig();
        if (start with { HeadDropout = trained.HeadDropout, ResidualDropout = trained.ResidualDropout } != trained)
            throw new OptionException("--init-from", $"{path} holds {Describe(start)}, but this run trains {Describe(trained)}; " +
                "give --model, --width, --hidden-size, --head-layers, --task (and --step-ms) to match it");
        return options;

        static string Describe(ModelConfig config) =>
            $"{config.Variant}{(config.Model.HasWidth ? $" at width {config.Width}" : "")} (hidden size {config.HiddenSize}" +
            $"{(config.HeadLayers > 1 ? $" × {config.HeadLayers} layers" : "")}) with {config.Classes} labels ({config.LabelSet}) and {config.StepMs:0.##} ms steps";
    }

    /// <summary>
    /// Throws <see cref="ModelConfigException"/> when the options give no valid model, and <see cref="OptionException"/> when
    /// the model's labels cannot be scored on the <c>--select-on</c> folder in its style.
    /// </summary>
    private static TrainingOptions ValidateModel(TrainingOptions options)
    {
        var config = options.ModelConfig().Validate();
        if (options.SelectOn is not null && TwelveLabelBenchmark.Problem(config.LabelSet, options.SelectStyle ?? FolderScoring.TwelveLabel) is { } problem)
            throw new OptionException("--select-on", $"{problem}; choose --select-style words or another --task");
        return options;
    }

    /// <summary>The objects of one run session; <see cref="Run"/> is the whole recipe.</summary>
    private sealed class TrainingSession : IDisposable
    {
        private readonly Stopwatch clock = Stopwatch.StartNew();
        private readonly IProgress<TrainingProgress>? progress;
        private readonly CancellationToken cancellationToken;
        private readonly TrainingOptions options;
        private readonly RunFolder folder;
        private readonly SpeechCommandsDataset data;
        private readonly SpeechCommandModel model;
        private readonly Generator random;
        private readonly OptimizerHelper optimizer;
        private readonly BatchLoader trainLoader;
        private readonly LearningRateSchedule schedule;
        // A model over a frozen front end: the speech embedding that validation, the --select-on folder and the test hear.
        private readonly SpeechEmbeddingFrontEnd? frontEnd;
        private readonly IReadOnlyList<(string Path, string Folder)>? selectFiles;
        // TorchSharp's writer: one event file per session in the run folder, each scalar written as it is added.
        private readonly SummaryWriter events;
        private readonly double elapsedBefore;
        private TrainingState state;
        private TimeSpan? lastValidation;

        public TrainingSession(TrainingOptions requested, IProgress<TrainingProgress>? progress,
            IProgress<TaskProgress>? dataProgress, CancellationToken cancellationToken)
        {
            this.progress = progress;
            this.cancellationToken = cancellationToken;
            folder = new RunFolder(requested.OutputDirectory);
            options = Resolve(requested, folder);
            var device = SelectDevice(options.Device);
            TorchThreads.Apply(options.Threads);

            try
            {
                data = SpeechCommandsDataset.Open(options.DataPath, progress: dataProgress);
                foreach (var split in Enum.GetValues<Split>())
                    if (data.Clips(split).Count == 0)
                        throw new DatasetException($"{data.Source}: the {split.ToString().ToLowerInvariant()} split has no clips");

                var config = options.ModelConfig();
                // Initial weights come from torch's default generator, seeded here; the lock keeps runs that start side by
                // side in one process (the quickstart's) from drawing from it at once. Dropout has the run's own generator.
                lock (DefaultGeneratorGate)
                {
                    manual_seed(options.Seed);
                    model = ModelFactory.Create(config);
                }
                if (options is { InitFrom: { } path, Resume: false })
                    CheckpointLocator.LoadWeights(model, path);
                random = new Generator((ulong)Seeds.Mix(options.Seed, DropoutStream));
                model.DrawDropoutFrom(random);
                model.to(device);
                optimizer = Optimizers.Create(options.Optimizer, model.parameters(), options.LearningRate);
                trainLoader = new BatchLoader(data, data.Clips(Split.Train),
                    new BatchLoaderOptions(options.BatchSize, Shuffle: true, DropLast: true, Augment: true, options.Seed, options.LimitTrain,
                        options.Augmentation)
                    {
                        Labels = config.LabelSet,
                        Rejection = options.Rejection,
                    },
                    device);
                if (trainLoader.BatchesPerEpoch == 0)
                    throw new DatasetException(
                        $"{data.Source}: {trainLoader.ExamplesPerEpoch} training examples of the task {config.LabelSet} " +
                        $"are fewer than one batch of {options.BatchSize}");
                if (options.SelectOn is { } selectOn)
                    selectFiles = TwelveLabelBenchmark.Files(selectOn);
                if (config.Model.FrontEnd.Kind == FrontEndKind.Frozen)
                {
                    frontEnd = SpeechEmbeddingFrontEnd.Open(options.FrontEnd);
                    var copies = EmbedTrainingCopies(config, dataProgress);
                    if (!options.Resume && options.InitFrom is null && model is IStandardisedInput standardised)
                    {
                        var (mean, deviation) = copies.Statistics();
                        standardised.Standardise(mean, deviation);
                    }
                }

                if (options.Resume)
                {
                    state = WithEpochCap(folder.LoadCheckpoint(RunFolder.Last, model, optimizer));
                    SetLearningRate(state.Schedule.LearningRate);
                    using var rng = tensor(Convert.FromBase64String(state.RngState), dtype: ScalarType.Byte);
                    random.set_state(rng);
                }
                else
                {
                    folder.WriteConfig(new RunConfig(options, config));
                    state = new TrainingState(0, new LearningRateSchedule(options.LearningRate, options.Patience, options.Stages,
                        options.EpochCap, options.Schedule).State, [], EpochProgress.Empty, "", Finished: false, ElapsedSeconds: 0);
                    SaveLast();
                }
                elapsedBefore = state.ElapsedSeconds;
                schedule = new LearningRateSchedule(state.Schedule, options.LearningRate, options.Patience, options.Stages, options.EpochCap,
                    options.Schedule);
                folder.WriteMetrics(state.History, selectFiles is not null);
                events = torch.utils.tensorboard.SummaryWriter(folder.Directory, createRunName: false);
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        /// <summary>
        /// A resumed run under <see cref="TrainingOptions.EpochCap"/>, which may differ from the cap it was saved with: one that
        /// its cap stopped continues while epochs remain; one already past the new cap only awaits its test. The config is
        /// saved again so that later resumes keep the new cap. Whether the run has ended is decided from the state and the cap
        /// each time: a session that moved the cap may have stopped (a full disk, a kill) before it saved a checkpoint.
        /// </summary>
        private TrainingState WithEpochCap(TrainingState saved)
        {
            var config = folder.ReadConfig();
            if (config.Training.EpochCap != options.EpochCap)
                folder.WriteConfig(config with { Training = config.Training with { MaxEpochs = options.EpochCap } });
            var stagesEnded = saved.Schedule.Stage > options.Stages;
            return saved with { Finished = stagesEnded || saved.Epoch >= options.EpochCap };
        }

        /// <summary>
        /// The training clips' fixed copies (<see cref="TrainingOptions.AugmentCopies"/>) and the noise pool, embedded
        /// where the cache lacks them, as the train loader's examples.
        /// </summary>
        private EmbeddedCopies EmbedTrainingCopies(ModelConfig config, IProgress<TaskProgress>? dataProgress)
        {
            var copies = options.AugmentCopies ?? TrainingOptions.DefaultAugmentCopies;
            using var waveforms = new ClipCopies(data, trainLoader.Clips, copies, trainLoader.SilencePerEpoch * copies, options.Augmentation,
                config.LabelSet.HasRejection ? options.Rejection : null, options.Seed, frontEnd!.Threads, dataProgress, cancellationToken);
            var embedded = EmbeddedCopies.Build(frontEnd, waveforms, dataProgress, cancellationToken);
            trainLoader.Features = embedded;
            return embedded;
        }

        /// <summary>The model's current weights as eval scores them, its frozen front end first where it has one.</summary>
        private ClipClassifier Classifier() => ClipClassifier.Of(model, frontEnd);

        private double ElapsedSeconds => elapsedBefore + clock.Elapsed.TotalSeconds;

        /// <summary>This session has used its <see cref="TrainingOptions.TimeLimitMinutes"/>; the run itself goes on when resumed.</summary>
        private bool OutOfTime => options.TimeLimitMinutes is { } limit && clock.Elapsed.TotalMinutes >= limit;

        public RunResult Run()
        {
            while (!state.Finished)
            {
                RunEpoch(state.Epoch + 1);
                if (OutOfTime) break; // checked after the epoch: every session trains at least one
            }

            PyTorchWeights.Load(model, Path.Combine(folder.CheckpointPath(RunFolder.Best), ModelFolder.WeightsFile));
            EvaluationReport test;
            using (var classifier = Classifier())
                test = Evaluator.Evaluate(classifier, data, data.Clips(Split.Test), options.BatchSize,
                    EvaluationProgress(TrainingPhase.Testing, state.Epoch, EpochProgress.Empty, null), cancellationToken, options.Rejection);
            var result = new RunResult(options.Variant, options.Io.Name(), options.Seed, test.Accuracy, test.Loss,
                selectFiles is null ? schedule.BestEpoch : BestSelected()?.Epoch ?? 0, state.Epoch, ElapsedSeconds, TimeLimitReached: !state.Finished);
            folder.WriteResult(result);
            return result;
        }

        private void RunEpoch(int epoch)
        {
            var epochClock = Stopwatch.StartNew();
            var sums = state.InProgress;
            EvaluationReport validation;
            TwelveLabelReport? selected = null;
            try
            {
                if (sums.Batches < trainLoader.BatchesPerEpoch)
                {
                    model.train();
                    var sessionBatches = 0;
                    foreach (var batch in trainLoader.Epoch(epoch, cancellationToken).Skip(sums.Batches))
                    {
                        using (batch)
                            sums = TrainBatch(batch, sums, epoch);
                        sessionBatches++;
                        var perBatch = epochClock.Elapsed / sessionBatches;
                        progress?.Report(new TrainingProgress(TrainingPhase.Training, epoch, options.EpochCap, schedule.Stage,
                            sums.Batches, trainLoader.BatchesPerEpoch, sums.LossSum / sums.Batches, sums.Correct / (double)sums.Clips,
                            schedule.LearningRate, perBatch * (trainLoader.BatchesPerEpoch - sums.Batches) + (lastValidation ?? TimeSpan.Zero)));
                        cancellationToken.ThrowIfCancellationRequested();
                    }
                }
                var validationClock = Stopwatch.StartNew();
                using (var classifier = Classifier())
                {
                    validation = Evaluator.Evaluate(classifier, data, data.Clips(Split.Valid), options.BatchSize,
                        EvaluationProgress(TrainingPhase.Validating, epoch, sums, validationClock), cancellationToken, options.Rejection);
                    if (selectFiles is not null)
                        selected = TwelveLabelBenchmark.Score(classifier, selectFiles, options.BatchSize,
                            EvaluationProgress(TrainingPhase.Selecting, epoch, sums, null), cancellationToken,
                            options.SelectStyle ?? FolderScoring.TwelveLabel);
                }
                lastValidation = validationClock.Elapsed;
            }
            catch (OperationCanceledException)
            {
                state = state with { InProgress = sums with { Seconds = sums.Seconds + epochClock.Elapsed.TotalSeconds } };
                SaveLast();
                throw;
            }
            if (!double.IsFinite(validation.Loss))
                throw Diverged($"the validation loss became {validation.Loss} after epoch {epoch}");

            var metrics = new EpochMetrics(epoch, schedule.Stage, schedule.LearningRate, sums.LossSum / sums.Batches,
                sums.Correct / (double)sums.Clips, validation.Loss, validation.Accuracy, sums.Seconds + epochClock.Elapsed.TotalSeconds,
                selected?.Accuracy, selected?.KeywordAccuracy);
            // With --select-on the folder's score chooses best/ (a tie keeps the earlier epoch); the schedule still follows
            // the validation loss.
            var selectedBetter = selected is not null && (BestSelected() is not { } best || selected.Accuracy > best.SelectAccuracy);
            var decision = schedule.Step(validation.Loss);
            state = state with
            {
                Epoch = epoch,
                Schedule = schedule.State,
                History = [.. state.History, metrics],
                InProgress = EpochProgress.Empty,
                Finished = decision.Action == ScheduleAction.Stop,
            };
            if (selected is null ? decision.Improved : selectedBetter)
                folder.SaveCheckpoint(RunFolder.Best, model, optimizer, CurrentState());
            if (decision.Action == ScheduleAction.ReloadBestAndDecay)
                folder.LoadCheckpoint(RunFolder.Best, model, optimizer);
            SetLearningRate(decision.LearningRate);
            SaveLast();
            folder.WriteMetrics(state.History, selectFiles is not null);
            foreach (var (tag, value) in new[]
                     {
                         ("loss/train", metrics.TrainLoss), ("loss/valid", metrics.ValidLoss),
                         ("accuracy/train", metrics.TrainAccuracy), ("accuracy/valid", metrics.ValidAccuracy),
                         ("learning_rate", metrics.LearningRate),
                         ("accuracy/select", metrics.SelectAccuracy), ("accuracy/select_keywords", metrics.SelectKeywordAccuracy),
                     })
                if (value is { } scalar)
                    events.add_scalar(tag, (float)scalar, epoch);
            progress?.Report(new TrainingProgress(TrainingPhase.Validating, epoch, options.EpochCap, metrics.Stage,
                validation.Clips, validation.Clips, metrics.TrainLoss, metrics.TrainAccuracy, metrics.LearningRate, TimeSpan.Zero, metrics));
        }

        private EpochProgress TrainBatch(Batch batch, EpochProgress sums, int epoch)
        {
            var (loss, correct) = TrainStep(model, optimizer, batch.Waveforms, batch.Labels, options.Io,
                value => float.IsFinite(value) ? null : Diverged($"the training loss became {value} at epoch {epoch}, batch {sums.Batches + 1}"));
            return sums with
            {
                Batches = sums.Batches + 1,
                LossSum = sums.LossSum + loss,
                Correct = sums.Correct + correct,
                Clips = sums.Clips + batch.Clips.Count,
            };
        }

        private IProgress<TaskProgress> EvaluationProgress(TrainingPhase phase, int epoch, EpochProgress sums, Stopwatch? clock) =>
            new SynchronousProgress<TaskProgress>(p =>
            {
                TimeSpan? eta = clock is null || p.Completed == 0 ? null : clock.Elapsed / p.Completed * (p.Total - p.Completed);
                progress?.Report(new TrainingProgress(phase, epoch, options.EpochCap, schedule.Stage, (int)p.Completed, (int)p.Total,
                    sums.Batches == 0 ? double.NaN : sums.LossSum / sums.Batches, sums.Clips == 0 ? double.NaN : sums.Correct / (double)sums.Clips,
                    schedule.LearningRate, eta));
            });

        /// <summary>The epoch whose <c>--select-on</c> score is the best so far (the earliest of equals), or null.</summary>
        private EpochMetrics? BestSelected() =>
            state.History.Where(m => m.SelectAccuracy is not null).OrderByDescending(m => m.SelectAccuracy).ThenBy(m => m.Epoch).FirstOrDefault();

        private TrainingException Diverged(string what) => new(
            $"{what}; training stopped. The last good checkpoint is kept in {folder.CheckpointPath(RunFolder.Last)} " +
            $"(epoch {state.Epoch}); try a lower --lr.");

        private TrainingState CurrentState()
        {
            using var rng = random.get_state();
            return state with { RngState = Convert.ToBase64String(rng.data<byte>().ToArray()), ElapsedSeconds = ElapsedSeconds };
        }

        private void SaveLast()
        {
            state = CurrentState();
            folder.SaveCheckpoint(RunFolder.Last, model, optimizer, state);
        }

        private void SetLearningRate(double learningRate)
        {
            foreach (var group in optimizer.ParamGroups)
                group.LearningRate = learningRate;
        }

        public void Dispose()
        {
            frontEnd?.Dispose();
            optimizer?.Dispose();
            model?.Dispose();
            random?.Dispose();
            data?.Dispose();
        }
    }
}
