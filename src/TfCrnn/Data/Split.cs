namespace TfCrnn.Data;

/// <summary>Dataset partition. Validation and test come from the split lists or the SHA-1 rule.</summary>
public enum Split { Train, Valid, Test }
