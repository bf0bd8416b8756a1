using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Spectre.Console;
using TfCrnn.Checkpoints;
using TfCrnn.Cli.Rendering;
using TfCrnn.Runtime;
using TfCrnn.Streaming;

namespace TfCrnn.Cli.Commands;

/// <summary><c>tfcrnn stream</c>: keywords in a WAV file or live audio on stdin (<see cref="StreamRecognition"/>).</summary>
internal static class StreamCommand
{
    /// <summary>The input that means live PCM on stdin.</summary>
    private const string StandardInput = "-";

    public static Command Create()
    {
        var checkpoint = SharedOptions.Checkpoint(exported: true, orDefault: true);
        var engine = SharedOptions.Engine();
        var json = SharedOptions.Json("each detection, {\"word\", \"start\", \"end\", \"score\"} on a line of its own,");
        var threads = SharedOptions.Threads(defaultValue: 1);
        var encoder = SharedOptions.Encoder();
        var recognizer = new RecognizerCommandOptions();
        var input = new Argument<string>("input")
        {
            Description = "A WAV file (any rate, channels and sample format), or - for raw 16 kHz mono 16-bit little-endian PCM (or a WAV stream) on stdin",
        };
        var command = new Command("stream", "Recognize keywords in a recording or a live stream: one line per detection, as soon as it is decided.")
        {
            checkpoint, json, threads, input, engine, encoder,
        };
        foreach (var option in recognizer.All) command.Options.Add(option);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetRequiredValue(input);
            var model = DefaultModel.Resolve(parse.GetValue(checkpoint), parse.GetValue(encoder));
            if (model.Note is { } choice) Console.Error.WriteLine(choice);
            var options = new StreamOptions
            {
                Checkpoint = model.Path,
                Recognizer = recognizer.Read(parse),
                Threads = parse.GetValue(threads),
                Engine = parse.Engine(engine),
                EncoderDirectory = parse.GetValue(encoder),
            };
            var asJson = parse.GetValue(json);
            var live = !asJson && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive ? new LiveTopWords(options.Recognizer) : null;
            return await Interruption.HandleAsync(async () =>
            {
                try
                {
                    using var stdin = path == StandardInput ? Console.OpenStandardInput() : null;
                    void Note(string note)
                    {
                        live?.Clear();
                        Console.Error.WriteLine($"note: {note}");
                    }
                    var detections = stdin is null
                        ? StreamRecognition.RunAsync(options, path, live is null ? null : live.Update, Note, cancellationToken)
                        : StreamRecognition.RunAsync(options, stdin, "stdin", live is null ? null : live.Update, Note, cancellationToken);
                    await foreach (var detection in detections)
                    {
                        live?.Clear();
                        Console.WriteLine(asJson ? Json(detection) : Text(detection));
                    }
                }
                finally
                {
                    live?.Clear();
                }
                return ExitCodes.Success;
            }, "", cancellationToken);
        });
        return command;
    }

    private static string Text(Detection d) =>
        string.Create(CultureInfo.InvariantCulture, $"{d.Start,8:0.00} {d.End,8:0.00}  {d.Word,-10} {d.Score:0.000}");

    private static string Json(Detection d) => new JsonObject
    {
        ["word"] = d.Word,
        ["start"] = Math.Round(d.Start, 3),
        ["end"] = Math.Round(d.End, 3),
        ["score"] = Math.Round(d.Score, 4),
    }.ToJsonString();

    /// <summary>
    /// A status line under the detections: the time heard and the current top words with bars, among the words
    /// listened for and the rejection classes.
    /// </summary>
    private sealed class LiveTopWords(RecognizerOptions recognizer)
    {
        private const int Shown = 3;
        private DateTime lastDrawn;
        private int[]? ranked;

        public void Update(RecognitionStep step)
        {
            // Ten steps a second; the terminal need not redraw that often.
            if (DateTime.UtcNow - lastDrawn < TimeSpan.FromMilliseconds(200) && step.Detection is null) return;
            lastDrawn = DateTime.UtcNow;
            var top = step.Top(Shown, ranked ??= Ranked(step.Labels));
            var words = string.Join("  ", top.Select(t => string.Create(CultureInfo.InvariantCulture,
                $"{Markup.Escape(t.Label)} [green]{new string('█', (int)Math.Round(t.Probability * 10)),-10}[/] {t.Probability:0.00}")));
            Clear();
            AnsiConsole.Markup(string.Create(CultureInfo.InvariantCulture, $"[grey]{step.End,7:0.0} s[/]  {words}"));
        }

        public void Clear() => AnsiConsole.Write(new ControlCode("\r\u001b[2K"));

        private int[] Ranked(LabelSet labels) =>
            [.. Enumerable.Range(0, labels.Count).Where(k => !labels.IsKeyword(k)).Concat(recognizer.KeywordIndices(labels))];
    }
}
