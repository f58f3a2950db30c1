namespace Rekernel.Downtime;

/// <summary>
/// The shutdown of the boot that requested a switch, from its journal: <see cref="LastEntry"/> is the last line
/// written before the jump (journald stops late in the shutdown), <see cref="Units"/> every unit's stop time.
/// </summary>
public sealed record ShutdownTimeline
{
    public required DateTimeOffset FirstEntry { get; init; }
    public required DateTimeOffset LastEntry { get; init; }
    public required IReadOnlyList<UnitTime> Units { get; init; }

    public IReadOnlyList<UnitTime> Slowest(int count) => [.. Units.OrderByDescending(u => u.Seconds).Take(count)];
}
