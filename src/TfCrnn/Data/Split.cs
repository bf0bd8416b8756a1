namespace TfCrnn.Data;

/// <summary>Dataset partition. Validation and test come from the split lists or the SHA-1 rule.</summary>
public enum Split
{
    /// <summary>The training clips.</summary>
    Train,

    /// <summary>The validation clips.</summary>
    Valid,

    /// <summary>The test clips.</summary>
    Test,
}
