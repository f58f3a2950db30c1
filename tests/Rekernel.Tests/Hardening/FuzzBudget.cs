using System.Diagnostics;

namespace Rekernel.Tests.Hardening;

/// <summary>
/// How long the property and fuzz tests run. <c>make test</c> uses the defaults (the whole Hardening folder in well
/// under a minute); <c>make fuzz</c> sets <c>REKERNEL_FUZZ_SCALE</c> (e.g. 100) for longer campaigns.
/// </summary>
internal static class FuzzBudget
{
    public const string ScaleVariable = "REKERNEL_FUZZ_SCALE";

    public static long Scale { get; } =
        long.TryParse(Environment.GetEnvironmentVariable(ScaleVariable), out long s) && s > 0 ? s : 1;

    /// <summary>
    /// The per-input time limit: 2 s, far below what a hang would take; 5 s in longer campaigns, whose allocation
    /// churn on a shared 2-core machine causes pauses that say nothing about the input.
    /// </summary>
    public static readonly TimeSpan PerInput = TimeSpan.FromSeconds(Scale > 1 ? 5 : 2);

    /// <summary>Iterations for a test whose default run should take about its share of the budget.</summary>
    public static long Iterations(long baseline) => baseline * Scale;

    /// <summary>Runs <paramref name="body"/> and fails when it takes longer than <paramref name="limit"/> (default <see cref="PerInput"/>).</summary>
    public static T Timed<T>(Func<T> body, string what, TimeSpan? limit = null)
    {
        var watch = Stopwatch.StartNew();
        T result = body();
        TimeSpan max = limit ?? PerInput;
        Assert.True(watch.Elapsed < max, $"{what} took {watch.Elapsed.TotalMilliseconds:0} ms, more than {max.TotalMilliseconds:0} ms");
        return result;
    }

    /// <summary>Like <see cref="Timed{T}(Func{T}, string, TimeSpan?)"/> for a body that returns nothing.</summary>
    public static void Timed(Action body, string what, TimeSpan? limit = null) =>
        Timed(() => { body(); return 0; }, what, limit);
}
