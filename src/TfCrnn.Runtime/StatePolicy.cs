using System.Globalization;

namespace TfCrnn.Runtime;

/// <summary>How a recurrent model's state is kept over an endless stream.</summary>
public enum StateHandling
{
    /// <summary>One lane whose state is carried forever.</summary>
    Carry,

    /// <summary>One lane set back to zero state every <see cref="StatePolicy.PeriodSteps"/> steps.</summary>
    Reset,

    /// <summary>
    /// <see cref="StatePolicy.Lanes"/> lanes, each set back to zero state every <see cref="StatePolicy.PeriodSteps"/>
    /// steps, their resets spread evenly; each step is read from the lane with the longest history.
    /// </summary>
    Staggered,

    /// <summary>
    /// As many staggered lanes as a clip has steps, each reset after one clip: every step's output is exactly the
    /// model's last step on the last second (offline <c>predict</c>), at the cost of a clip's steps per step.
    /// </summary>
    Sliding,
}

/// <summary>A <see cref="StateHandling"/> and its sizes; <see cref="Parse"/> reads the CLI spelling.</summary>
public sealed record StatePolicy(StateHandling Handling, int Lanes = 1, int PeriodSteps = 0)
{
    public static StatePolicy Carry { get; } = new(StateHandling.Carry);

    public static StatePolicy Sliding { get; } = new(StateHandling.Sliding);

    public static StatePolicy Reset(int periodSteps) => new StatePolicy(StateHandling.Reset, 1, periodSteps).Validate();

    public static StatePolicy Staggered(int lanes, int periodSteps) => new StatePolicy(StateHandling.Staggered, lanes, periodSteps).Validate();

    /// <summary>The lanes and reset period this policy gives a model: (1, null) for a model without state.</summary>
    public (int Lanes, int? PeriodSteps) For(StepModelInfo model) => model.StateSize == 0
        ? (1, null)
        : Handling switch
        {
            StateHandling.Carry => (1, null),
            StateHandling.Reset => (1, PeriodSteps),
            StateHandling.Staggered => (Lanes, PeriodSteps),
            _ => (model.StepsPerClip, model.StepsPerClip),
        };

    /// <summary>Throws <see cref="OptionException"/> (option <c>StatePolicy</c>) naming the bad size.</summary>
    public StatePolicy Validate()
    {
        var valid = Handling switch
        {
            StateHandling.Reset => PeriodSteps >= 1,
            StateHandling.Staggered => Lanes >= 1 && PeriodSteps >= Lanes,
            _ => true,
        };
        return valid ? this : throw new OptionException(nameof(StatePolicy),
            $"{this}: needs a period of at least 1 step and at least as many steps as lanes");
    }

    /// <summary><c>carry</c>, <c>reset:STEPS</c>, <c>staggered:LANES:STEPS</c> or <c>sliding</c>; anything else throws <see cref="OptionException"/> (option <c>StatePolicy</c>).</summary>
    public static StatePolicy Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(':');
        int Number(int i) => int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new OptionException(nameof(StatePolicy), $"'{text}': '{parts[i]}' is not a positive number");
        return (parts[0], parts.Length) switch
        {
            ("carry", 1) => Carry,
            ("sliding", 1) => Sliding,
            ("reset", 2) => Reset(Number(1)),
            ("staggered", 3) => Staggered(Number(1), Number(2)),
            _ => throw new OptionException(nameof(StatePolicy), $"'{text}' is not a state policy; expected carry, reset:STEPS, staggered:LANES:STEPS or sliding"),
        };
    }

    public override string ToString() => Handling switch
    {
        StateHandling.Reset => FormattableString.Invariant($"reset:{PeriodSteps}"),
        StateHandling.Staggered => FormattableString.Invariant($"staggered:{Lanes}:{PeriodSteps}"),
        _ => Handling.ToString().ToLowerInvariant(),
    };
}
