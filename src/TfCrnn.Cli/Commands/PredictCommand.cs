using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using TfCrnn.Evaluation;

namespace TfCrnn.Cli.Commands;

/// <summary><c>tfcrnn predict</c>: the most probable words of WAV files (<see cref="Predictor"/>).</summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "Run folder (its best checkpoint), model folder, .pt file with config.json beside it, or exported ONNX folder", Required = true };
        var top = new Option<int>("--top") { Description = "Words to list per file", DefaultValueFactory = _ => 5 };
        top.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) r.AddError("--top must be at least 1"); });
        var steps = new Option<bool>("--steps") { Description = "Also show the probabilities of the listed words at every step (recurrent models)" };
        var json = new Option<bool>("--json") { Description = "Print the predictions as JSON on stdout" };
        var engine = EngineOption.Create();
        var files = new Argument<string[]>("files") { Description = "WAV files (any rate, channels and length)", Arity = ArgumentArity.OneOrMore };

        var command = new Command("predict", "Predict the spoken command of WAV files.") { checkpoint, top, steps, json, engine, files };
        command.SetAction((parse, cancellationToken) =>
        {
            var predictions = Predictor.Predict(new PredictionOptions
            {
                Checkpoint = parse.GetRequiredValue(checkpoint),
                Files = parse.GetRequiredValue(files),
                Top = parse.GetValue(top),
                Engine = EngineOption.Value(parse, engine),
            }, cancellationToken);
            var withSteps = parse.GetValue(steps);
            foreach (var p in predictions)
                foreach (var note in p.Notes)
                    Console.Error.WriteLine($"note: {p.File}: {note}");
            Console.WriteLine(parse.GetValue(json) ? Json(predictions, withSteps) : Text(predictions, withSteps));
            return Task.FromResult(0);
        });
        return command;
    }

    private static int[] TopIndices(FilePrediction p) => [.. p.Top.Select(w => w.Class)];

    private static string Text(IReadOnlyList<FilePrediction> predictions, bool withSteps)
    {
        var text = new System.Text.StringBuilder();
        foreach (var p in predictions)
        {
            text.AppendLine($"{p.File}: {string.Join(", ", p.Top.Select(w => $"{w.Word} {w.Probability:0.000}"))}");
            if (!withSteps) continue;
            foreach (var (index, word) in TopIndices(p).Zip(p.Top))
                text.AppendLine($"  {word.Word,-10} {string.Join(" ", p.StepProbabilities.Select(s => s[index].ToString("0.000")))}");
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
                item["steps"] = new JsonObject(TopIndices(p).Zip(p.Top).Select(t => KeyValuePair.Create(t.Second.Word,
                    (JsonNode?)new JsonArray([.. p.StepProbabilities.Select(s => (JsonNode)JsonValue.Create(s[t.First]))]))));
            array.Add(item);
        }
        return array.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
