namespace TfCrnn.Data;

/// <summary>A dataset that cannot be used; the message names the file or folder and the problem.</summary>
public sealed class DatasetException : TfCrnnException
{
    /// <summary>A dataset that cannot be read; the message names the file or folder.</summary>
    public DatasetException(string message) : base(message) { }

    /// <summary>A dataset that cannot be read, with the error that stopped it.</summary>
    public DatasetException(string message, Exception inner) : base(message, inner) { }
}
