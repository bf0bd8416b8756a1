namespace TfCrnn.Evaluation;

/// <summary>
/// Counts of (true class, predicted class) pairs; rows are true classes. The one place where
/// accuracy, per-class precision/recall/F1 and recall-normalised rows are computed, so that
/// <c>eval</c>, the analyses and the reports agree.
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly long[,] counts;

    /// <summary>An empty matrix over <paramref name="labels"/> (rows: true class, columns: predicted class).</summary>
    public ConfusionMatrix(IReadOnlyList<string> labels)
    {
        Labels = labels;
        counts = new long[labels.Count, labels.Count];
    }

    /// <summary>Class names, index = class index.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>Rows and columns.</summary>
    public int Classes => Labels.Count;

    /// <summary>Predictions counted.</summary>
    public long Total { get; private set; }

    /// <summary>Clips of class <paramref name="actual"/> predicted as <paramref name="predicted"/>.</summary>
    public long this[int actual, int predicted] => counts[actual, predicted];

    /// <summary>Counts one prediction of class <paramref name="predicted"/> for a clip of class <paramref name="actual"/>.</summary>
    public void Add(int actual, int predicted)
    {
        counts[actual, predicted]++;
        Total++;
    }

    /// <summary>The fraction of predictions on the diagonal.</summary>
    public double Accuracy => Total == 0 ? 0 : Enumerable.Range(0, Classes).Sum(i => counts[i, i]) / (double)Total;

    /// <summary>Clips whose true class is <paramref name="actual"/>.</summary>
    public long Support(int actual) => Enumerable.Range(0, Classes).Sum(j => counts[actual, j]);

    /// <summary>Clips predicted as <paramref name="predicted"/>.</summary>
    public long Predicted(int predicted) => Enumerable.Range(0, Classes).Sum(i => counts[i, predicted]);

    /// <summary>Precision, recall and F1 of every class (0 where undefined, as scikit-learn's zero_division=0).</summary>
    public IReadOnlyList<ClassMetrics> PerClass() => Enumerable.Range(0, Classes).Select(c =>
    {
        var tp = counts[c, c];
        var support = Support(c);
        var predicted = Predicted(c);
        var precision = predicted == 0 ? 0 : tp / (double)predicted;
        var recall = support == 0 ? 0 : tp / (double)support;
        var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new ClassMetrics(Labels[c], precision, recall, f1, support);
    }).ToList();

    /// <summary>Each row divided by its true-label count (rows sum to 1; the diagonal is recall). Empty rows stay 0.</summary>
    public double[,] RowNormalized()
    {
        var result = new double[Classes, Classes];
        for (var i = 0; i < Classes; i++)
        {
            var support = Support(i);
            if (support == 0) continue;
            for (var j = 0; j < Classes; j++)
                result[i, j] = counts[i, j] / (double)support;
        }
        return result;
    }
}

/// <summary>One class's scores.</summary>
public sealed record ClassMetrics(string Label, double Precision, double Recall, double F1, long Support);
