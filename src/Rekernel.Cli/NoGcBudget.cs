namespace Rekernel.Cli;

/// <summary>
/// A command lives for milliseconds: collecting its garbage (a 1,000-entry menu is 10 MB of short-lived objects)
/// cost a quarter of its time. Beyond this budget, and so in the long-running agent, the collector runs as usual.
/// </summary>
internal static class NoGcBudget
{
    // Starting the region costs in proportion to it (the collector commits and maps its bookkeeping up front):
    // 64 MB cost status --check 0.2 ms of its 2.5 ms of CPU, 16 MB nothing measurable (perf stat, interleaved).
    // The largest listing measured, a grub.cfg with 1,000 entries, allocates 11 MB.
    private const long Bytes = 16L << 20;

    public static void Start()
    {
        try { GC.TryStartNoGCRegion(Bytes); }
        // A heap limit (a small container) below the budget: collect as usual.
        catch (ArgumentOutOfRangeException) { }
    }
}
