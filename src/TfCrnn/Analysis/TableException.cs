namespace TfCrnn.Analysis;

/// <summary>A missing or broken plan, run result or plan option; the message names the file or the option.</summary>
internal sealed class TableException(string message, Exception? inner = null) : TfCrnnException(message, inner!);
