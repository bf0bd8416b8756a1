using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using TfCrnn.Checkpoints;
using TfCrnn.Evaluation;

namespace TfCrnn.Cli.Commands;

/// <summary><c>tfcrnn predict</c>: the most probable words of WAV files (<see cref="Predictor"/>).</summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var checkpoint = SharedOptions.Checkpoint(exported: true, orDefault: true);
        var top = new Option<int>("--top") { Description = "Words to list per file", DefaultValueFactory = _ => 5 };
        var steps = new Option<bool>("--steps") { Description = "Also show the probabilities of the listed words at every step (recurrent models)" };
        var json = SharedOptions.Json("[{\"file\", \"top\": [{\"word\", \"probability\"}], \"notes\"[, \"steps\"]}]");
        var precision = SharedOptions.Precision();
        var engine = SharedOptions.Engine();
        var encoder = SharedOptions.Encoder();
        var embeddingCache = SharedOptions.EmbeddingCache();
        var files = new Argument<string[]>("files") { Description = "WAV files (any rate, channels and length)", Arity = ArgumentArity.OneOrMore };

        var command = new Command("predict", "Predict the spoken command of WAV files.") { checkpoint, top, steps, json, precision, engine, encoder, embeddingCache, files };
        command.SetAction((parse, cancellationToken) =>
        {
            var model = DefaultModel.Resolve(parse.GetValue(checkpoint), parse.GetValue(encoder));
            if (model.Note is { } choice) Console.Error.WriteLine(choice);
            var predictions = Predictor.Predict(new PredictionOptions
            {
                Checkpoint = model.Path,
                Files = parse.GetRequiredValue(files),
                Top = parse.GetValue(top),
                Inference = parse.Inference(precision),
                Engine = parse.Engine(engine),
                EncoderDirectory = parse.GetValue(encoder),
                EmbeddingCache = parse.GetValue(embeddingCache),
            }, cancellationToken);
            var withSteps = parse.GetValue(steps);
            foreach (var p in predictions)
                foreach (var note in p.Notes)
                    Console.Error.WriteLine($"note: {p.File}: {note}");
            Console.WriteLine(parse.GetValue(json) ? Json(predictions, withSteps) : Text(predictions, withSteps));
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    private static string Text(IReadOnlyList<FilePrediction> predictions, bool withSteps)
    {
        var text = new System.Text.StringBuilder();
        foreach (var p in predictions)
        {
            text.AppendLine($"{p.File}: {string.Join(", ", p.Top.Select(w => $"{w.Word} {w.Probability:0.000}"))}");
            if (!withSteps) continue;
            foreach (var word in p.Top)
                text.AppendLine($"  {word.Word,-10} {string.Join(" ", p.Steps(word).Select(s => s.ToString("0.000")))}");
        }
        return text.ToString().TrimEnd();
    }

    private static string Json(IReadOnlyList<FilePrediction> predictions, bool withSteps)
    {
        var array = new JsonArray();
        foreach (var p in predictions)
        {
            var item = new JsonObject
            {
                ["file"] = p.File,
                ["top"] = new JsonArray([.. p.Top.Select(w => (JsonNode)new JsonObject { ["word"] = w.Word, ["probability"] = w.Probability })]),
                ["notes"] = new JsonArray([.. p.Notes.Select(n => (JsonNode)JsonValue.Create(n))]),
            };
            if (withSteps)
                item["steps"] = new JsonObject(p.Top.Select(w => KeyValuePair.Create(w.Word,
                    (JsonNode?)new JsonArray([.. p.Steps(w).Select(s => (JsonNode)JsonValue.Create(s))]))));
            array.Add(item);
        }
        return array.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
