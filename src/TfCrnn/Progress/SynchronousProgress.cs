namespace TfCrnn.Progress;

/// <summary>
/// An <see cref="IProgress{T}"/> that calls back on the reporting thread, as each report happens: unlike
/// <see cref="Progress{T}"/>, which posts to the thread pool, it keeps the reports' order and delivers each before the
/// work goes on.
/// </summary>
/// <param name="report">Called with every report.</param>
public sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    /// <inheritdoc/>
    public void Report(T value) => report(value);
}
