using Rekernel.Fleet.Etcd;

namespace Rekernel.Fleet;

/// <summary>
/// A group as one etcd revision saw it, read in one request. The raw semaphore and halt keys are kept so that a
/// transaction can compare against exactly what was read.
/// </summary>
/// <param name="Hosts">How many host records the group has (the base of percentage slices).</param>
/// <param name="Host">This host's record, when the snapshot was read for one.</param>
/// <param name="HostRevision">The <c>mod_revision</c> of that record's key; 0 when it does not exist.</param>
public sealed record GroupSnapshot(
    long Revision,
    GroupConfig? Config,
    HaltRecord? Halt,
    Semaphore Semaphore,
    EtcdWire.KeyValue? SemaphoreKey,
    int Hosts,
    HostRecord? Host,
    long HostRevision = 0)
{
    /// <summary>Holders whose switch has taken longer than the group's switch timeout.</summary>
    public IEnumerable<SlotHolder> Overdue(DateTimeOffset now) =>
        Config is { } config ? Semaphore.Holders.Where(h => now - h.Since > config.SwitchTimeout) : [];

    public int FreeSlots => Config is { } config ? Slices.FreeSlots(config, Hosts, Semaphore.Completed, Semaphore.Holders.Length) : 0;
}
