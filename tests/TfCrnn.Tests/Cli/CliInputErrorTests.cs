using TfCrnn.Native;
using TfCrnn.Tests.Support;

namespace TfCrnn.Tests.Cli;

/// <summary>
/// Bad input to every verb, run as a user runs it: one <c>error:</c> line that names the option or file, exit status
/// 2, no stack trace, no help page. A case is (verb, arguments, a fragment the error line must contain); arguments
/// may name the shared <see cref="CliWorld"/>: {data}, {candidate} (a TF-CRNN run), {baseline} (a CRNN run), {stereo}
/// (a WAV file), {text} (a text file named .wav), {notest} (a dataset without test clips), {exported} (the TF-CRNN
/// exported as ONNX), {narrow} (the width-16 reference fixtures), {tmp} (a fresh empty folder), {missing} (a path
/// that does not exist).
/// </summary>
public sealed class CliInputErrorTests
{
    public static TheoryData<string, string[], string> Cases()
    {
        var cases = new TheoryData<string, string[], string>
        {
            { "(none)", [], "tfcrnn needs a verb" },
            { "(none)", ["bogus"], "not 'bogus'" },
            { "synth", ["--out", "{tmp}/set", "--clips-per-word", "0"], "--clips-per-word must be at least 1, got 0" },
            { "synth", ["--out", "{tmp}/set", "--noise", "-1"], "--noise must be 0 or more" },
            { "synth", ["--out", "{tmp}/set", "--threads", "0"], "--threads must be at least 1" },
            { "synth", ["--clips-per-word", "2"], "Option '--out' is required" },
            { "synth", ["--out", "{tmp}/set", "--voices", "pico-en-us,rhvoice-xx"], "unknown voice 'rhvoice-xx'; known voices: en, " },
            { "synth", ["--out", "{tmp}/set", "--voices", "rhvoice-clb", "--variants", "m1,f2"], "voice 'rhvoice-clb' has none of the variants given; its variants: pitch-70, " },
            { "data stats", ["--data", "{missing}"], "{missing}" },
            { "data stats", ["--data", "{text}"], "{text}" },
            { "data stats", ["--data", "{tmp}"], "no clips found" },
            { "data import-real", ["--from", "{missing}", "--layout", "fsdd", "--source", "s", "--licence", "l", "--out", "{tmp}/set"], "{missing}: no such folder" },
            { "data import-real", ["--from", "{tmp}/speech_commands_test_set_v0.02", "--layout", "speech-commands", "--source", "s", "--licence", "l", "--out", "{tmp}/set"], "a copy of the official Speech Commands test set" },
            { "data import-real", ["--from", "{data}", "--layout", "wav", "--source", "s", "--licence", "l", "--out", "{tmp}/set"], "--layout" },
            { "data import-real", ["--from", "{data}", "--layout", "fsdd", "--source", "s", "--out", "{tmp}/set"], "Option '--licence' is required" },
            { "data import-real", ["--from", "{data}", "--layout", "fsdd", "--source", "s", "--licence", "l", "--out", "{tmp}/set", "--max-per-word", "-1"], "--max-per-word must be at least 0, got -1" },
            { "info", ["--width", "0"], "--width must be a positive multiple of 8, got 0" },
            { "info", ["--width", "7"], "--width must be a positive multiple of 8, got 7" },
            { "info", ["--width", "abc"], "--width" },
            { "info", ["--step-ms", "0.5"], "--step-ms 0.5 gives a 16-sample window, shorter than 27 samples" },
            { "info", ["--step-ms", "0.03"], "--step-ms 0.03: not a positive whole number of samples at 16000 Hz" },
            { "info", ["--step-ms", "600"], "--step-ms 600 gives a 19200-sample window, longer than the 16000-sample clip" },
            { "info", ["--step-ms", "50", "--window-ms", "100"], "--step-ms and --window-ms: give one, not both" },
            { "train", ["--data", "{data}", "--model", "tfcrnn-foo", "--out", "{tmp}/run"], "--model" },
            { "train", ["--data", "{data}", "--model", "cnn-se", "--out", "{tmp}/run", "--batch-size", "0"], "--batch-size must be at least 1, got 0" },
            { "train", ["--data", "{data}", "--model", "cnn-se", "--out", "{tmp}/run", "--width", "0"], "--width must be a positive multiple of 8" },
            { "train", ["--data", "{data}", "--model", "cnn-se", "--out", "{tmp}/run", "--max-epochs", "0"], "--max-epochs must be at least 1" },
            { "train", ["--data", "{data}", "--model", "cnn-se", "--out", "{tmp}/run", "--lr", "-0.1"], "--lr must be a positive number" },
            { "train", ["--data", "{data}", "--model", "cnn-se", "--out", "{tmp}/run", "--time-limit", "0"], "--time-limit must be a positive number, got 0" },
            { "train", ["--data", "{data}", "--model", "cnn-se", "--out", "{tmp}/run", "--limit-train", "0"], "--limit-train must be at least 1" },
            { "train", ["--data", "{data}", "--model", "cnn-se", "--out", "{tmp}/run", "--io", "one2one"], "--io" },
            { "train", ["--data", "{data}", "--model", "cnn-se", "--out", "{tmp}/run", "--optimizer", "rmsprop"], "--optimizer" },
            { "train", ["--data", "{data}", "--model", "cnn-se", "--out", "{tmp}/run", "--lr-schedule", "step"], "--lr-schedule" },
            { "train", ["--data", "{data}", "--model", "cnn-se", "--out", "{tmp}/run", "--head-dropout", "1"], "--head-dropout" },
            { "train", ["--data", "{data}", "--model", "cnn-se", "--out", "{tmp}/run", "--residual-dropout", "-0.1"], "--residual-dropout" },
            { "train", ["--data", "{tmp}", "--model", "cnn-se", "--out", "{tmp}/run", "--step-ms", "50"], "--step-ms applies to the recurrent models (crnn-*, tfcrnn-*); cnn-se sees the whole clip at once" },
            { "train", ["--data", "{tmp}", "--model", "crnn-se", "--out", "{tmp}/run", "--window-ms", "1.5"], "--window-ms 1.5 gives a 24-sample window, shorter than 27 samples" },
            { "train", ["--data", "{data}", "--model", "cnn-se", "--out", "{tmp}/run", "--device", "cuda"], "CUDA is not available" },
            { "train", ["--data", "{data}", "--model", "attn-crnn", "--out", "{tmp}/run", "--width", "16"], "--width does not apply to attn-crnn, which has no width" },
            { "train", ["--data", "{data}", "--model", "attn-crnn", "--out", "{tmp}/run", "--head-dropout", "0.1"], "--head-dropout does not apply to attn-crnn, which has no head dropout" },
            { "train", ["--data", "{data}", "--model", "harmonic-cnn", "--out", "{tmp}/run", "--residual-dropout", "0"], "--residual-dropout does not apply to harmonic-cnn, which has no residual dropout" },
            { "train", ["--data", "{data}", "--model", "harmonic-cnn", "--out", "{tmp}/run", "--step-ms", "50"], "--step-ms does not apply to harmonic-cnn, which hears the whole clip at once" },
            { "import", ["--from-pytorch", "{narrow}/cnn-se.pt", "--model", "attn-crnn", "--out", "{tmp}/m", "--width", "16"], "--width does not apply to attn-crnn, which has no width" },
            { "train", ["--model", "cnn-se", "--out", "{tmp}/run"], "--data is required (unless --resume)" },
            { "train", ["--data", "{missing}", "--model", "cnn-se", "--out", "{tmp}/run"], "{missing}" },
            { "train", ["--data", "{notest}", "--model", "cnn-se", "--out", "{tmp}/run"], "split has no clips" },
            { "train", ["--out", "{tmp}", "--resume"], "nothing to resume" },
            { "train", ["--data", "{data}", "--model", "tfcrnn-se", "--out", "{candidate}"], "already holds a run" },
            { "train", ["--out", "{candidate}", "--resume", "--model", "crnn-se"], "the run trains tfcrnn-se, not crnn-se" },
            { "train", ["--data", "{tmp}", "--model", "cnn-basic", "--out", "{tmp}/run", "--augment", "robust,bogus"], "--augment: unknown transform 'bogus'" },
            { "train", ["--data", "{tmp}", "--model", "cnn-basic", "--out", "{tmp}/run", "--augment", "paper,speed@2"], "--augment: speed: the probability must be above 0 and at most 1, got 2" },
            { "train", ["--data", "{tmp}", "--model", "cnn-basic", "--out", "{tmp}/run", "--task", "commands12"], "--task" },
            { "train", ["--data", "{tmp}", "--model", "cnn-basic", "--out", "{tmp}/run", "--task", "standard12", "--unknown-percent", "-1"], "--unknown-percent must be 0 or more, got -1" },
            { "train", ["--data", "{tmp}", "--model", "cnn-basic", "--out", "{tmp}/run", "--task", "standard12", "--background-frequency", "2"], "--background-frequency must lie in [0, 1], got 2" },
            { "eval", ["--checkpoint", "{candidate}", "--data", "{data}", "--batch-size", "0", "--out", "{tmp}"], "--batch-size must be at least 1, got 0" },
            { "eval", ["--checkpoint", "{candidate}", "--data", "{data}", "--split", "bogus"], "--split" },
            { "eval", ["--checkpoint", "{missing}", "--data", "{data}", "--out", "{tmp}"], "{missing}" },
            { "eval", ["--checkpoint", "{text}", "--data", "{data}", "--out", "{tmp}"], "config.json" },
            { "eval", ["--checkpoint", "{candidate}", "--data", "{missing}", "--out", "{tmp}"], "{missing}" },
            { "eval", ["--checkpoint", "{candidate}", "--data", "{notest}", "--out", "{tmp}"], "no clips" },
            { "eval", ["--data", "{data}"], "Option '--checkpoint' is required" },
            { "eval", ["--checkpoint", "{candidate}", "--data", "{missing}", "--twelve-label", "--out", "{tmp}"], "{missing}: no such folder" },
            { "eval", ["--checkpoint", "{candidate}", "--data", "{tmp}", "--twelve-label", "--out", "{tmp}/out"], "no clips found" },
            { "eval", ["--checkpoint", "{candidate}", "--data", "{data}", "--twelve-label", "--snr", "10", "--out", "{tmp}"], "--snr cannot be combined with --twelve-label" },
            { "eval", ["--checkpoint", "{candidate}", "--data", "{data}", "--twelve-label", "--split", "test", "--out", "{tmp}"], "--split does not apply to --twelve-label" },
            { "eval", ["--checkpoint", "{candidate}", "--data", "{data}", "--noise-seed", "3", "--out", "{tmp}"], "--noise-seed needs --snr" },
            { "eval", ["--checkpoint", "{candidate}", "--data", "{data}", "--precision", "int8"], "--precision" },
            { "eval", ["--checkpoint", "{candidate}", "--data", "{data}", "--engine", "tensorflow"], "--engine" },
            { "eval", ["--checkpoint", "{missing}", "--data", "{missing}", "--engine", "onnx", "--precision", "bf16"], "--precision bf16 runs on the torch engine only" },
            { "eval", ["--checkpoint", "{candidate}", "--data", "{data}", "--snr", "10,abc", "--out", "{tmp}"], "--snr 'abc' is not a number of dB" },
            { "eval", ["--checkpoint", "{candidate}", "--data", "{data}", "--snr", "100", "--out", "{tmp}"], "--snr 100 dB is outside -10..60 dB" },
            { "predict", ["--checkpoint", "{candidate}", "--top", "0", "{stereo}"], "--top must be at least 1, got 0" },
            { "predict", ["--checkpoint", "{candidate}", "{tmp}"], "is a folder, not a WAV file" },
            { "predict", ["--checkpoint", "{candidate}", "{missing}"], "{missing}: file not found" },
            { "predict", ["--checkpoint", "{candidate}", "{text}"], "not a WAV file" },
            { "predict", ["--checkpoint", "{missing}", "{stereo}"], "{missing}" },
            { "predict", ["--checkpoint", "{candidate}"], "Required argument missing" },
            { "predict", ["--checkpoint", "{candidate}", "--precision", "fp16", "{stereo}"], "--precision" },
            { "predict", ["--checkpoint", "{exported}", "--engine", "torch", "{stereo}"], "--engine torch: {exported} is an exported ONNX folder" },
            { "predict", ["--checkpoint", "{candidate}", "--engine", "onnx", "--precision", "bf16", "{stereo}"], "--precision bf16 runs on the torch engine only" },
            { "stream", ["--checkpoint", "{candidate}", "--engine", "1", "-"], "--engine" },
            { "stream", ["--checkpoint", "{candidate}", "{text}"], "not a WAV file" },
            { "stream", ["--checkpoint", "{missing}", "{stereo}"], "{missing}: no such file or folder" },
            { "stream", ["--checkpoint", "{candidate}", "--state", "sliding:3", "{stereo}"], "--state 'sliding:3' is not a state policy" },
            { "stream", ["--checkpoint", "{candidate}", "--state", "staggered:3:2", "{stereo}"], "--state staggered:3:2: needs a period of at least 1 step" },
            { "stream", ["--checkpoint", "{candidate}", "--threshold", "1.5", "{stereo}"], "--threshold must lie in [0, 1], got 1.5" },
            { "stream", ["--checkpoint", "{candidate}", "--smoothing", "0", "{stereo}"], "--smoothing must be at least 1 step, got 0" },
            { "stream", ["--checkpoint", "{candidate}"], "Required argument missing" },
            { "stream", ["--checkpoint", "{candidate}", "--keywords", "yes,hello", "{stereo}"], "--keywords 'hello' is not a keyword of the model (its keywords: backward," },
            { "stream", ["--checkpoint", "{candidate}", "--keywords", "yes,yes", "{stereo}"], "--keywords names 'yes' twice" },
            { "stream-eval", ["--checkpoint", "{candidate}", "--audio", "{stereo}", "--labels", "{text}", "--keywords", ","], "--keywords must name at least one word" },
            { "stream-eval", ["--checkpoint", "{candidate}", "--audio", "{stereo}", "--labels", "{text}"], "{text}: expected the header 'start_seconds,end_seconds,word'" },
            { "stream-eval", ["--checkpoint", "{candidate}", "--audio", "{stereo}", "--labels", "{text}", "--threads", "0"], "--threads must be at least 1, got 0" },
            { "stream-eval", ["--checkpoint", "{candidate}", "--audio", "{stereo}"], "Option '--labels' is required" },
            { "export", ["--checkpoint", "{missing}", "--out", "{tmp}/onnx"], "{missing}: no such file or folder" },
            { "export", ["--checkpoint", "{candidate}", "--out", "{stereo}"], "--out {stereo} is a file, not a folder" },
            { "export", ["--checkpoint", "{candidate}"], "Option '--out' is required" },
            { "import", ["--from-pytorch", "{narrow}/cnn-se.pt", "--model", "tfcrnn-foo", "--out", "{tmp}/m"], "--model" },
            { "import", ["--from-pytorch", "{narrow}/cnn-se.pt", "--model", "cnn-se", "--out", "{tmp}/m", "--width", "0"], "--width must be a positive multiple of 8" },
            { "import", ["--from-pytorch", "{missing}", "--model", "tfcrnn-se", "--out", "{tmp}/m", "--step-ms", "12.51"], "--step-ms 12.51: not a positive whole number of samples" },
            { "import", ["--from-pytorch", "{missing}", "--model", "cnn-basic", "--out", "{tmp}/m", "--window-ms", "200"], "--window-ms applies to the recurrent models" },
            { "import", ["--from-pytorch", "{missing}", "--model", "cnn-se", "--out", "{tmp}/m", "--width", "16"], "{missing}" },
            { "import", ["--from-pytorch", "{narrow}/cnn-se.pt", "--model", "tfcrnn-resse", "--out", "{tmp}/m", "--width", "16"], "{narrow}/cnn-se.pt: the weights do not fit the model 'tfcrnn-resse'" },
            { "import", ["--from-pytorch", "{narrow}/cnn-se.pt", "--model", "cnn-se", "--out", "{tmp}/m", "--width", "16", "--check", "{missing}"], "{missing}" },
            { "analyze failure", ["--baseline", "{baseline}", "--candidate", "{candidate}", "--data", "{data}", "--out", "{tmp}", "--words", "hello"], "--words 'hello' is not one of the 35" },
            { "analyze failure", ["--baseline", "{baseline}", "--candidate", "{candidate}", "--data", "{data}", "--out", "{tmp}", "--batch-size", "0"], "--batch-size must be at least 1" },
            { "analyze failure", ["--baseline", "{missing}", "--candidate", "{candidate}", "--data", "{data}", "--out", "{tmp}"], "{missing}" },
            { "analyze failure", ["--baseline", "{baseline}", "--candidate", "{candidate}", "--data", "{data}", "--out", "{tmp}", "--split", "bogus"], "--split" },
            { "analyze trajectory", ["--checkpoint", "{candidate}", "--data", "{data}", "--out", "{tmp}", "--words", "bed"], "no test clips of 'bed'" },
            { "analyze trajectory", ["--checkpoint", "{candidate}", "--data", "{notest}", "--out", "{tmp}", "--words", "yes"], "the test split has no clips" },
            { "analyze trajectory", ["--checkpoint", "{missing}", "--data", "{data}", "--out", "{tmp}"], "{missing}" },
            { "analyze excitation", ["--checkpoint", "{baseline}", "--data", "{data}", "--out", "{tmp}", "--words", "yes"], "TF-CRNN" },
            { "analyze excitation", ["--checkpoint", "{candidate}", "--data", "{data}", "--out", "{tmp}", "--threads", "-1"], "--threads must be at least 0" },
            { "table plan", ["--data", "{data}", "--out", "{tmp}/plan", "--seeds", "0"], "--seeds must be at least 1, got 0" },
            { "table plan", ["--data", "{missing}", "--out", "{tmp}/plan"], "dataset not found" },
            { "table plan", ["--data", "{data}", "--out", "{tmp}/plan", "--width", "0"], "--width must be a positive multiple of 8" },
            { "table plan", ["--data", "{data}", "--out", "{tmp}/plan", "--batch-size", "0"], "--batch-size must be at least 1" },
            { "table plan", ["--data", "{data}", "--out", "{tmp}/plan", "--device", "tpu"], "--device" },
            { "table plan", ["--data", "{tmp}", "--out", "{tmp}/plan", "--step-ms", "0.5"], "--step-ms 0.5 gives a 16-sample window, shorter than 27 samples" },
            { "table plan", ["--data", "{tmp}", "--out", "{tmp}/plan", "--step-ms", "50", "--window-ms", "100"], "--step-ms and --window-ms: give one, not both" },
            { "table steps", ["--data", "{tmp}", "--out", "{tmp}/plan", "--blocks", "basic,tfbasic"], "--blocks must be a comma-separated list of basic, se, resse, got 'basic,tfbasic'" },
            { "table steps", ["--data", "{tmp}", "--out", "{tmp}/plan", "--seeds", "0"], "--seeds must be at least 1, got 0" },
            { "table steps", ["--data", "{tmp}", "--out", "{tmp}/plan", "--io", "one2one"], "--io" },
            { "table steps", ["--data", "{missing}", "--out", "{tmp}/plan"], "dataset not found" },
            { "table run", ["--plan", "{missing}"], "no plan here" },
            { "table run", ["--plan", "{tmp}", "--threads", "-1"], "--threads must be at least 0" },
            { "table collect", ["--plan", "{tmp}"], "no plan here; create one with `tfcrnn table plan` or `tfcrnn table steps`" },
            { "table", ["bogus"], "tfcrnn table needs a verb" },
            { "quickstart", ["--out", "{tmp}", "--width", "0"], "--width must be a positive multiple of 8" },
            { "quickstart", ["--out", "{tmp}", "--max-epochs", "0"], "--max-epochs must be at least 1" },
            { "quickstart", ["--out", "{tmp}", "--time-limit", "-1"], "--time-limit must be a positive number, got -1" },
            { "quickstart", ["--out", "{tmp}", "--clips-per-word", "2"], "--clips-per-word must be at least 3 for the quickstart, so that every word has a test clip, got 2" },
            { "quickstart", ["--out", "{tmp}", "--data", "{missing}", "--max-epochs", "1"], "{missing}" },
            { "quickstart", ["--out", "{tmp}", "--augment", "bogus"], "--augment: unknown transform 'bogus'" },
            { "quickstart", ["--out", "{tmp}", "--heldout", "{missing}"], "--heldout {missing} does not exist" },
            { "quickstart", ["--out", "{tmp}", "--real", "{missing}"], "--real {missing}: no such folder" },
            { "quickstart", ["--out", "{tmp}", "--voices", "en-us,en-xx"], "unknown voice 'en-xx'" },
            { "quickstart", ["--out", "{tmp}", "--embedding-epochs", "0"], "--embedding-epochs must be at least 1" },
            { "quickstart", ["--out", "{tmp}", "--embedding-batch-size", "0"], "--embedding-batch-size must be at least 1" },
            { "quickstart", ["--out", "{tmp}", "--embedding-time-limit", "0"], "--embedding-time-limit must be a positive number, got 0" },
            { "quickstart", ["--out", "{tmp}", "--encoder", "{tmp}"], "the folder must hold" },
        };
        // Where the CPU has native bfloat16, bf16 runs (ModelVerbTests); elsewhere it is refused before any file is read.
        if (!CpuInfo.Current.SupportsBFloat16)
            cases.Add("eval", ["--checkpoint", "{missing}", "--data", "{missing}", "--precision", "bf16"], "--precision bf16 needs a CPU with AVX-512 BF16 or AMX");
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BadInputEndsWithOneErrorLineAndExit2(string verb, string[] arguments, string expected)
    {
        using var tmp = new TempDirectory("cli-error");
        var missing = tmp.Combine("does-not-exist");
        var needsWorld = arguments.Any(a => a.Contains("{data}") || a.Contains("{candidate}") || a.Contains("{baseline}") ||
                                            a.Contains("{stereo}") || a.Contains("{text}") || a.Contains("{notest}") ||
                                            a.Contains("{exported}"));
        var world = needsWorld ? await CliWorld.GetAsync() : null;
        string Resolve(string text) => text.Replace("{tmp}", tmp.Path).Replace("{missing}", missing)
            .Replace("{narrow}", ReferenceFixtures.Narrow.Directory)
            .Replace("{data}", world?.Data).Replace("{candidate}", world?.Candidate).Replace("{baseline}", world?.Baseline)
            .Replace("{stereo}", world?.StereoWav).Replace("{text}", world?.NotAWav).Replace("{notest}", world?.NoTestClips)
            .Replace("{exported}", world?.Exported);

        var verbWords = verb == "(none)" ? [] : verb.Split(' ');
        var result = await CliRun.RunAsync([.. verbWords, .. arguments.Select(Resolve)]);

        var error = result.FailedWith(2);
        Assert.Contains(Resolve(expected), error);
        CliLog.Write(result);
    }
}
