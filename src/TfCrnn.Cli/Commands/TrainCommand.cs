using System.CommandLine;
using TfCrnn.Cli.Rendering;
using TfCrnn.Data;
using TfCrnn.Models;
using TfCrnn.Quickstart;
using TfCrnn.Runtime;
using TfCrnn.Training;

namespace TfCrnn.Cli.Commands;

/// <summary><c>tfcrnn train</c>: the paper's recipe into a run folder (<see cref="Trainer"/>).</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var defaults = new TrainingOptions { DataPath = "", Variant = "", OutputDirectory = "" };
        var data = SharedOptions.Data(required: false, note: "optional with --resume: the saved one");
        var model = SharedOptions.Model("Model variant (optional with --resume)", required: false);
        var io = new Option<string>("--io") { Description = "Loss over every step (many2many) or the last step (many2one)", DefaultValueFactory = _ => defaults.Io.Name() }
            .AcceptOnlyFromAmong("many2many", "many2one");
        var output = SharedOptions.Output("Run folder to create (or to continue with --resume)");
        var seed = new Option<int>("--seed") { Description = "Seed of initialisation, dropout, data order and augmentation", DefaultValueFactory = _ => defaults.Seed };
        var width = SharedOptions.Width(note: "; refused for the embedding models");
        var hiddenSize = new Option<int?>("--hidden-size")
        {
            Description = $"GRU state size of the recurrent models (default: the model's: the paper's 256, the embedding heads' {Models.SpeechEmbedding.EmbeddingModel.DefaultHiddenSize})",
        };
        var headLayers = new Option<int?>("--head-layers")
        {
            Description = "Embedding models: GRU cells stacked in the head, each feeding the next (default 1; the h(t-1) gate sits on the first)",
        };
        var stepMs = SharedOptions.StepMs();
        var windowMs = SharedOptions.WindowMs();
        var maxEpochs = new Option<int?>("--max-epochs")
        {
            Description = $"Epoch cap (default {TrainingOptions.PaperMaxEpochs}); with --resume, a new cap for the run (a run its cap stopped continues)",
        };
        var timeLimit = SharedOptions.TimeLimit("Minutes this session may train (default: no limit; --resume continues the run, " +
            "as under a Slurm job's time limit)");
        var batchSize = SharedOptions.BatchSize(defaults.BatchSize);
        var learningRate = new Option<double>("--lr") { Description = "Initial learning rate", DefaultValueFactory = _ => defaults.LearningRate };
        var optimizer = new Option<string>("--optimizer")
        {
            Description = "sgd (the paper's: Nesterov momentum 0.9) or adam (leaves the first epochs' plateau sooner; try --lr 0.003)",
            DefaultValueFactory = _ => Spellings<OptimizerKind>.Name(defaults.Optimizer),
        }.AcceptOnlyFromAmong([.. Spellings<OptimizerKind>.Names]);
        var schedule = new Option<string>("--lr-schedule")
        {
            Description = "plateau (the paper's: the rate falls by 0.2 in 3 stages when validation stops improving) or cosine " +
                "(from --lr down to nearly zero at --max-epochs, in one stage)",
            DefaultValueFactory = _ => Spellings<ScheduleKind>.Name(defaults.Schedule),
        }.AcceptOnlyFromAmong([.. Spellings<ScheduleKind>.Names]);
        var patience = new Option<int>("--patience") { Description = "Plateau schedule: epochs without validation improvement before the rate falls", DefaultValueFactory = _ => defaults.Patience };
        var paper = ModelConfig.For("tfcrnn-resse");
        var quickstart = new QuickstartOptions { OutputDirectory = "" };
        var headDropout = new Option<double?>("--head-dropout")
        {
            Description = FormattableString.Invariant(
                $"Dropout before the classifier or the GRU cell (default: the paper's {paper.HeadDropout}; the quickstart uses {quickstart.HeadDropout})"),
        };
        var residualDropout = new Option<double?>("--residual-dropout")
        {
            Description = FormattableString.Invariant(
                $"Dropout inside Res-SE residual branches (default: the paper's {paper.ResidualDropout}; the quickstart uses {quickstart.ResidualDropout})"),
        };
        var limitTrain = new Option<int?>("--limit-train") { Description = "Train on a fixed subset of N training clips" };
        var threads = SharedOptions.Threads();
        var device = new Option<string>("--device") { Description = "cpu, cuda or cuda:N (cuda needs the CUDA build)", DefaultValueFactory = _ => defaults.Device.ToString() };
        var resume = new Option<bool>("--resume")
        {
            Description = "Continue the run in --out from its last checkpoint with its saved recipe; only --data, --threads, --device, --time-limit and --max-epochs apply",
        };
        var augment = SharedOptions.Augment("Training augmentation", ". Saved in config.json (a resumed run keeps its own)");
        var initFrom = new Option<string?>("--init-from")
        {
            Description = "Fine-tune: start from this model's weights (a run folder, model folder or weights file, as --checkpoint " +
                "takes) instead of random ones; --model, --width and --task must match it",
            HelpName = "checkpoint",
        };
        var task = new Option<string>("--task")
        {
            Description = "Labels to train: commands35 (the paper's 35 words), commands35+none (and a rejection class for other words " +
                "and noise) or standard12 (yes, no, up, down, left, right, on, off, stop, go, _silence_, _unknown_); default: the model's " +
                "(commands35 for the paper's models, commands35+none for the embedding models)",
            HelpName = "task",
        };
        task.AcceptOnlyFromAmong([.. LabelTasks.Names]);
        var unknownPercent = new Option<double>("--unknown-percent") { Description = "Rejection tasks: other-word clips per epoch, % of the keyword clips", DefaultValueFactory = _ => defaults.Rejection.UnknownPercent };
        var silencePercent = new Option<double>("--silence-percent") { Description = "Rejection tasks: background-noise slices per epoch, % of the keyword clips", DefaultValueFactory = _ => defaults.Rejection.SilencePercent };
        var backgroundFrequency = new Option<double>("--background-frequency") { Description = "Rejection tasks: chance that a training clip gets background noise mixed in", DefaultValueFactory = _ => defaults.Rejection.BackgroundFrequency };
        var backgroundVolume = new Option<double>("--background-volume") { Description = "Rejection tasks: the mixed-in noise's gain is drawn from [0, this]", DefaultValueFactory = _ => defaults.Rejection.BackgroundVolume };

        var augmentCopies = new Option<int?>("--augment-copies")
        {
            Description = "Embedding models: copies of each training clip whose embeddings are computed once and cached (copy 0 the clip " +
                $"itself, the others augmented with --augment); each epoch sees one of them (default {TrainingOptions.DefaultAugmentCopies})",
        };
        var selectOn = new Option<string?>("--select-on")
        {
            Description = "A folder of real recordings in word folders (as eval --twelve-label reads it), scored after every epoch: " +
                "its best epoch (the earlier of equals) is kept as best/ instead of the lowest validation loss",
            HelpName = "folder",
        };
        var selectStyle = new Option<string?>("--select-style")
        {
            Description = "How --select-on is scored: twelve-label (default: a clip of the ten words is right when its word is on top, " +
                "any other clip when none of the ten is) or words (the folder's word, other words and _silence_ as the rejection class)",
            HelpName = "style",
        }.AcceptOnlyFromAmong([.. Spellings<Evaluation.FolderScoring>.Names]);
        var encoder = SharedOptions.Encoder();
        var embeddingCache = SharedOptions.EmbeddingCache();

        var command = new Command("train", "Train a model with the paper's recipe (SGD Nesterov, plateau schedule with 3 stages) into a run folder.")
        {
            data, model, io, output, seed, width, hiddenSize, headLayers, stepMs, windowMs, maxEpochs, timeLimit, batchSize, learningRate, optimizer, schedule, patience,
            headDropout, residualDropout, limitTrain, threads, device, resume, augment, initFrom, task, unknownPercent, silencePercent, backgroundFrequency, backgroundVolume,
            augmentCopies, selectOn, selectStyle, encoder, embeddingCache,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new TrainingOptions
            {
                DataPath = parse.GetValue(data) ?? "",
                Variant = parse.GetValue(model) ?? "",
                OutputDirectory = parse.GetRequiredValue(output),
                Io = OutputModes.Parse(parse.GetRequiredValue(io)),
                Seed = parse.GetValue(seed),
                Width = parse.Explicit(width),
                HiddenSize = parse.GetValue(hiddenSize),
                HeadLayers = parse.GetValue(headLayers),
                StepMs = parse.GetValue(stepMs),
                WindowMs = parse.GetValue(windowMs),
                MaxEpochs = parse.GetValue(maxEpochs),
                TimeLimitMinutes = parse.GetValue(timeLimit),
                BatchSize = parse.GetValue(batchSize),
                LearningRate = parse.GetValue(learningRate),
                Optimizer = Spellings<OptimizerKind>.Parse("--optimizer", parse.GetRequiredValue(optimizer)),
                Schedule = Spellings<ScheduleKind>.Parse("--lr-schedule", parse.GetRequiredValue(schedule)),
                Patience = parse.GetValue(patience),
                HeadDropout = parse.GetValue(headDropout),
                ResidualDropout = parse.GetValue(residualDropout),
                LimitTrain = parse.GetValue(limitTrain),
                Threads = parse.GetValue(threads),
                Device = ComputeDevice.Parse("--device", parse.GetRequiredValue(device)),
                Resume = parse.GetValue(resume),
                Augmentation = parse.Augmentation(augment, defaults.Augmentation),
                InitFrom = parse.GetValue(initFrom),
                Task = parse.GetValue(task) is { } taskName ? LabelTasks.Parse(taskName) : null,
                AugmentCopies = parse.GetValue(augmentCopies),
                SelectOn = parse.GetValue(selectOn),
                SelectStyle = parse.GetValue(selectStyle) is { } style ? Spellings<Evaluation.FolderScoring>.Parse("--select-style", style) : null,
                EncoderDirectory = parse.GetValue(encoder),
                EmbeddingCache = parse.GetValue(embeddingCache),
                Rejection = new RejectionMix
                {
                    UnknownPercent = parse.GetValue(unknownPercent),
                    SilencePercent = parse.GetValue(silencePercent),
                    BackgroundFrequency = parse.GetValue(backgroundFrequency),
                    BackgroundVolume = parse.GetValue(backgroundVolume),
                },
            };
            return await Interruption.HandleAsync(async () =>
            {
                var result = await TrainingProgressDisplay.RunAsync((training, dataset) =>
                    Trainer.RunAsync(options, training, dataset, cancellationToken));
                Console.WriteLine($"test accuracy {result.TestAccuracy:P2} (loss {result.TestLoss:0.####}) at best epoch " +
                    $"{result.BestEpoch} of {result.Epochs}; {result.WallSeconds:0} s; run folder {Path.GetFullPath(options.OutputDirectory)}");
                if (result.TimeLimitReached)
                    Console.WriteLine($"stopped at the time limit; continue the run with: {RunFolder.ResumeCommand(options.OutputDirectory)}");
                return ExitCodes.Success;
            }, $"the run is saved in {Path.GetFullPath(Path.Combine(options.OutputDirectory, RunFolder.Last))}; " +
               $"continue it with: {RunFolder.ResumeCommand(options.OutputDirectory)}", cancellationToken);
        });
        return command;
    }
}
