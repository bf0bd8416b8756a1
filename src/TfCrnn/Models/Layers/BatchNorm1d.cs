namespace TfCrnn.Models.Layers;

/// <summary>
/// BatchNorm1d as the authors' code configures it (docs/reference-implementation.md, "Blocks"): see
/// <see cref="BatchNorm"/>. (batch, C, L) → (batch, C, L).
/// </summary>
internal sealed class BatchNorm1d(long features) : BatchNorm(nameof(BatchNorm1d), features);
