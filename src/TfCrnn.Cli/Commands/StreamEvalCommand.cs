using System.CommandLine;
using System.Globalization;
using TfCrnn.Checkpoints;
using TfCrnn.Cli.Rendering;
using TfCrnn.Streaming;

namespace TfCrnn.Cli.Commands;

/// <summary><c>tfcrnn stream-eval</c>: a streaming recognizer scored on a labelled recording (<see cref="StreamEvaluator"/>).</summary>
internal static class StreamEvalCommand
{
    public static Command Create()
    {
        var checkpoint = SharedOptions.Checkpoint(exported: true, orDefault: true);
        var engine = SharedOptions.Engine();
        var encoder = SharedOptions.Encoder();
        var audio = new Option<string>("--audio") { Description = "The recording: a WAV file (any rate and channels)", Required = true };
        var labels = new Option<string>("--labels") { Description = "Its labels.csv: start_seconds,end_seconds,word per keyword", Required = true };
        var json = SharedOptions.Json("{\"precision\", \"recall\", \"f1\", \"false_alarms_per_hour\", \"latency_ms\", \"rtf\", ...}");
        var output = SharedOptions.Output("Folder for stream-eval.json, detections.csv, posteriors.csv, sweep.csv, posteriors.png and det.png", required: false);
        var threads = new Option<int>("--threads") { Description = "CPU threads of the engine, with which the real-time factor is measured", DefaultValueFactory = _ => 1 };
        var recognizer = new RecognizerCommandOptions();
        var command = new Command("stream-eval",
            "Score streaming recognition on a labelled recording: a detection is a hit when it names the word between its start and 1 s " +
            "after its end (each label once); precision, recall, F1, false alarms per hour, latency after the word's end, real-time factor.")
        {
            checkpoint, audio, labels, json, output, threads, engine, encoder,
        };
        foreach (var option in recognizer.All) command.Options.Add(option);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var model = DefaultModel.Resolve(parse.GetValue(checkpoint), parse.GetValue(encoder));
            if (model.Note is { } choice) Console.Error.WriteLine(choice);
            var options = new StreamEvaluationOptions
            {
                Checkpoint = model.Path,
                AudioPath = parse.GetRequiredValue(audio),
                LabelsPath = parse.GetRequiredValue(labels),
                OutputDirectory = parse.GetValue(output),
                Threads = parse.GetValue(threads),
                Engine = parse.Engine(engine),
                EncoderDirectory = parse.GetValue(encoder),
                Recognizer = recognizer.Read(parse),
            };
            var report = await ProgressDisplay.RunAsync(progress => StreamEvaluator.RunAsync(options, progress, cancellationToken));
            var score = report.Score;
            if (parse.GetValue(json))
                Console.WriteLine(StreamEvaluationFiles.ToJson(report));
            else
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"precision {score.Precision:0.000}, recall {score.Recall:0.000}, F1 {score.F1:0.000} ({score.Hits} of {score.Labels} words, " +
                    $"{score.FalseAlarms} false alarms = {score.FalseAlarmsPerHour:0.#} per hour); latency after the word's end: median " +
                    $"{score.LatencyPercentileMs(50):0} ms, p90 {score.LatencyPercentileMs(90):0} ms; real-time factor {report.RealTimeFactor:0.000} " +
                    $"(processor time: {report.CpuRealTimeFactor:0.000}; " +
                    $"{options.Threads} thread{(options.Threads == 1 ? "" : "s")}, {report.Recognizer.State}, {report.LanesPerStep} lane-steps per step)"));
            foreach (var note in report.Notes)
                Console.Error.WriteLine($"note: {options.AudioPath}: {note}");
            if (report.IgnoredLabels > 0)
                Console.Error.WriteLine($"note: {report.IgnoredLabels} labels name words that are not keywords of the model or not listened for; they are left out");
            if (options.OutputDirectory is not null)
                Console.Error.WriteLine($"wrote {Path.GetFullPath(options.OutputDirectory)}");
            return ExitCodes.Success;
        });
        return command;
    }
}
