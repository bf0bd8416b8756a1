namespace TfCrnn.Cli;

/// <summary>The exit statuses of <c>tfcrnn</c> (README, "Commands").</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>A failed check (<c>import --check</c>) or an unexpected failure.</summary>
    public const int Failure = 1;

    /// <summary>An input error: a bad option value, a missing or unusable file; one <c>error:</c> line names it.</summary>
    public const int InputError = 2;

    /// <summary>Stopped by Ctrl+C (SIGINT), 128 + 2 as shells report it; long verbs saved their work first.</summary>
    public const int Interrupted = 130;
}
