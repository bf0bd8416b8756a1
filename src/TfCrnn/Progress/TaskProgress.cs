namespace TfCrnn.Progress;

/// <summary>
/// Progress of a counted piece of work, reported through <see cref="IProgress{T}"/> so that the
/// library stays console-free; the CLI renders it as a bar or as plain log lines.
/// </summary>
/// <param name="Task">Short description ("synthesising", "caching train split").</param>
/// <param name="Completed">Items done so far.</param>
/// <param name="Total">Items in all, or 0 when unknown.</param>
public sealed record TaskProgress(string Task, long Completed, long Total);
