namespace TfCrnn.Models.Layers;

/// <summary>PyTorch's BatchNorm2d: see <see cref="BatchNorm"/>. (batch, C, H, W) → (batch, C, H, W).</summary>
internal sealed class BatchNorm2d(long features) : BatchNorm(nameof(BatchNorm2d), features);
