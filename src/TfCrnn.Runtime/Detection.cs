namespace TfCrnn.Runtime;

/// <summary>A keyword heard in a stream.</summary>
/// <param name="Word">The keyword.</param>
/// <param name="Start">Seconds from the stream's start to the start of the audio the decision looked at (one clip before <paramref name="End"/>).</param>
/// <param name="End">Seconds from the stream's start to the moment the detection was decided: the end of the audio it heard.</param>
/// <param name="Score">The smoothed posterior of the word when it fired.</param>
public sealed record Detection(string Word, double Start, double End, float Score);

/// <summary>One decision step of a recognizer.</summary>
/// <param name="Index">Steps since the stream's start (0 = the first hop).</param>
/// <param name="End">Seconds of audio heard at this step.</param>
/// <param name="Posteriors">Smoothed class probabilities at this step, in <paramref name="Labels"/> order.</param>
/// <param name="Detection">The detection decided at this step, if any.</param>
/// <param name="Labels">The model's classes.</param>
public sealed record RecognitionStep(long Index, double End, float[] Posteriors, Detection? Detection, LabelSet Labels)
{
    /// <summary>The <paramref name="count"/> most probable classes at this step, best first.</summary>
    /// <param name="among">The class indices to rank; null: every class.</param>
    public IReadOnlyList<(string Label, float Probability)> Top(int count, IEnumerable<int>? among = null) =>
        [.. (among ?? Enumerable.Range(0, Posteriors.Length)).Select(k => (Labels[k], Posteriors[k]))
            .OrderByDescending(t => t.Item2).Take(count)];
}
