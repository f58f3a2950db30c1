using System.Text.Json.Serialization;

namespace Rekernel.Fleet;

/// <summary>
/// A group's slots, as one etcd value changed only by transactions that compare its <c>mod_revision</c> (the way
/// Airlock and locksmith keep theirs): the holders, and how many switches of this rollout completed, which decides
/// the canary slice. Slots are not tied to leases: a rebooting host must keep its slot.
/// </summary>
public sealed record Semaphore(
    [property: JsonPropertyName("format")] int Format,
    [property: JsonPropertyName("holders")] SlotHolder[] Holders,
    [property: JsonPropertyName("completed")] int Completed) : IFleetRecord
{
    public static Semaphore Empty { get; } = new(IFleetRecord.CurrentFormat, [], 0);

    public bool Holds(string host) => Holders.Any(h => h.Host == host);

    public Semaphore With(SlotHolder holder) => this with { Holders = [.. Holders, holder] };

    public Semaphore Without(string host, bool completed) =>
        this with { Holders = [.. Holders.Where(h => h.Host != host)], Completed = Completed + (completed ? 1 : 0) };
}
