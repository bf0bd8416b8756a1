// Prints the keywords an exported tfcrnn model hears in a WAV file or on stdin, one line each as it is decided:
// a raw-waveform model, or a head over the speech embedding, whose folder also holds the encoder's two files.
//   TfCrnn.Sample [--threshold P] MODEL_FOLDER [FILE.wav | -]
// Input: a WAV file or stream of any rate, channels and sample format, or raw 16-bit mono samples at the model's rate
// (arecord -q -t raw -f S16_LE -r 16000 -c 1 | TfCrnn.Sample MODEL_FOLDER -).
using System.Globalization;
using TfCrnn;
using TfCrnn.Runtime;

var options = new RecognizerOptions();
if (args is ["--threshold", var text, ..] && float.TryParse(text, CultureInfo.InvariantCulture, out var threshold))
{
    options = options with { Threshold = threshold };
    args = args[2..];
}
if (args.Length is < 1 or > 2 || args[0].StartsWith("--", StringComparison.Ordinal))
{
    Console.Error.WriteLine("usage: TfCrnn.Sample [--threshold P] MODEL_FOLDER [FILE.wav | -]   (any WAV, or raw 16-bit PCM at 16 kHz; stdin without a file or with -)");
    return 2;
}
try
{
    using var model = ExportedModel.Load(args[0]);
    var fromStdin = args.Length == 1 || args[1] == "-";
    await using var input = fromStdin ? Console.OpenStandardInput() : File.OpenRead(args[1]);
    var recognizer = model.CreateRecognizer(options);
    await foreach (var detection in recognizer.RecognizeAsync(input, fromStdin ? "stdin" : args[1]))
        Console.WriteLine($"{detection.End,8:0.00} s  {detection.Word,-10} {detection.Score:0.00}");
    return 0;
}
catch (Exception e) when (e is TfCrnnException or IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}
