namespace TfCrnn.Data;

/// <summary>A dataset that cannot be used; the message names the file or folder and the problem.</summary>
public sealed class DatasetException : TfCrnnException
{
    public DatasetException(string message) : base(message) { }

    public DatasetException(string message, Exception inner) : base(message, inner) { }
}
