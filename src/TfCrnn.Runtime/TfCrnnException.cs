namespace TfCrnn;

/// <summary>
/// Base of every error caused by the user's input (a bad file, a wrong checkpoint, a missing split
/// list). The message is complete on its own and names the file and the problem; the CLI prints it
/// without a stack trace.
/// </summary>
public class TfCrnnException : Exception
{
    public TfCrnnException(string message) : base(message) { }

    public TfCrnnException(string message, Exception inner) : base(message, inner) { }
}
