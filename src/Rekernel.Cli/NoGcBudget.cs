namespace Rekernel.Cli;

/// <summary>
/// A command lives for milliseconds: collecting its garbage (a 1,000-entry menu is 20 MB of short-lived objects)
/// cost a quarter of its time. Beyond this budget, and so in the long-running agent, the collector runs as usual.
/// </summary>
internal static class NoGcBudget
{
    private const long Bytes = 64L << 20;

    public static void Start()
    {
        try { GC.TryStartNoGCRegion(Bytes); }
        // A heap limit (a small container) below the budget: collect as usual.
        catch (ArgumentOutOfRangeException) { }
    }
}
