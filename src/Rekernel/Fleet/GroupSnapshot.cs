using Rekernel.Fleet.Etcd;

namespace Rekernel.Fleet;

/// <summary>
/// A group as one etcd revision saw it, read in one request. The raw semaphore and halt keys are kept so that a
/// transaction can compare against exactly what was read.
/// </summary>
/// <param name="Hosts">How many host records the group has (the base of percentage slices).</param>
/// <param name="Host">This host's record, when the snapshot was read for one.</param>
/// <param name="QueuedAt">When read for a host: the create revision of its queue place (its place in the queue), 0 when it is not queued.</param>
/// <param name="Nearest">When read for a queued host with a known place: the hosts queued just ahead of it, at most
/// <c>max_concurrent</c> of them, first come first; null when not read.</param>
/// <param name="HostRevision">The <c>mod_revision</c> of that record's key; 0 when it does not exist.</param>
public sealed record GroupSnapshot(
    long Revision,
    GroupConfig? Config,
    HaltRecord? Halt,
    Semaphore Semaphore,
    EtcdWire.KeyValue? SemaphoreKey,
    int Hosts,
    HostRecord? Host,
    long QueuedAt = 0,
    string[]? Nearest = null,
    long HostRevision = 0)
{
    /// <summary>
    /// Whether fewer than <c>max_concurrent</c> hosts are queued ahead (then <see cref="Nearest"/> lists all of them):
    /// near enough to the front to take a slot soon.
    /// </summary>
    public bool NearFront => Nearest is { } n && Config is { } c && n.Length < c.MaxConcurrent;

    /// <summary>Hosts queued ahead that do not hold a slot yet: they take one first.</summary>
    public IEnumerable<string> WaitingAhead => (Nearest ?? []).Where(h => !Semaphore.Holds(h));

    /// <summary>Holders whose switch has taken longer than the group's switch timeout.</summary>
    public IEnumerable<SlotHolder> Overdue(DateTimeOffset now) =>
        Config is { } config ? Semaphore.Holders.Where(h => now - h.Since > config.SwitchTimeout) : [];

    public int FreeSlots => Config is { } config ? Slices.FreeSlots(config, Hosts, Semaphore.Completed, Semaphore.Holders.Length) : 0;
}
