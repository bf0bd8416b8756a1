namespace TfCrnn.Runtime;

/// <summary>What an app must know about a step model to feed it and read it.</summary>
/// <param name="Labels">The classes of its logits.</param>
/// <param name="SampleRate">Samples per second of its input (16,000).</param>
/// <param name="Window">Samples per step window (3,200 for the CRNNs, 16,000 for the CNN).</param>
/// <param name="Hop">Samples between step windows (1,600): a decision every hop.</param>
/// <param name="ClipSamples">The context the model was trained on (16,000 samples = one second).</param>
/// <param name="StepsPerClip">
/// Steps over one clip from zero state, as the model is trained (9 for the paper's 100 ms CRNNs, 11 at 75 ms, 1 for
/// the CNN): the ONNX metadata <c>steps</c>. The <c>sliding</c> state policy keeps that many lanes, and a recognizer
/// primes its lanes with that many steps of silence less one.
/// </param>
/// <param name="StateSize">Floats of recurrent state per lane (the GRU's 256); 0 for a model without state.</param>
/// <param name="InputScale">Samples in [-1, 1] are multiplied by it before they enter the model (1 / 0.0860; the ONNX metadata <c>input_scale</c>).</param>
/// <param name="Variant">The model variant, e.g. <c>tfcrnn-resse</c>.</param>
/// <param name="RefractorySeconds">
/// The detection rule's refractory time that suits the model, what <see cref="RecognizerOptions.RefractorySeconds"/>
/// null means (the ONNX metadata <c>recognizer</c>'s <c>refractory_seconds</c>): about how long one word stays in its view.
/// </param>
public sealed record StepModelInfo(LabelSet Labels, int SampleRate, int Window, int Hop, int ClipSamples, int StepsPerClip,
    int StateSize, float InputScale, string Variant, double RefractorySeconds = RecognizerOptions.DefaultRefractorySeconds)
{
    /// <summary>Checks the arrays of an <see cref="IStepModel.Step"/> call; returns the windows' lanes: 1 (shared) or <paramref name="batch"/>.</summary>
    /// <exception cref="ArgumentException">Sizes that do not match the model.</exception>
    public int CheckStep(float[] windows, float[] state, int batch)
    {
        ArgumentNullException.ThrowIfNull(windows);
        ArgumentNullException.ThrowIfNull(state);
        if (batch < 1 || (windows.Length != Window && windows.Length != batch * Window) || state.Length != batch * StateSize)
            throw new ArgumentException($"expected 1 or {batch} × {Window} window samples and {batch} × {StateSize} state values, " +
                $"got {windows.Length} and {state.Length}");
        return windows.Length / Window;
    }

    /// <summary>Throws <see cref="TfCrnnException"/> for facts no recognizer can use.</summary>
    public StepModelInfo Validate()
    {
        if (SampleRate <= 0 || Window <= 0 || Hop <= 0 || Hop > Window || ClipSamples < Window || StateSize < 0 || !(InputScale > 0))
            throw new TfCrnnException($"step model {Variant}: sample rate {SampleRate}, window {Window}, hop {Hop}, clip {ClipSamples}, " +
                $"state {StateSize} and input scale {InputScale} must be positive, with hop ≤ window ≤ clip");
        if (StepsPerClip < 1 || (StepsPerClip - 1L) * Hop + Window > ClipSamples)
            throw new TfCrnnException($"step model {Variant}: {StepsPerClip} steps per clip of a {Window}-sample window every {Hop} " +
                $"samples: expected at least 1, and no more than fit in the {ClipSamples}-sample clip");
        return this;
    }
}
