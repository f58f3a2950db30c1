using Rekernel.Fleet.Etcd;
using static Rekernel.Fleet.Etcd.EtcdWire;

namespace Rekernel.Fleet.Agent;

/// <summary>
/// How an agent waits between steps. Polling cost every waiting host one read per interval (37.7 requests per host
/// in a 1,000-host simulation); instead a waiting host watches etcd from the revision it read and steps again only
/// when something it depends on changed. The queue keeps the watching cheap: a host with at least
/// <c>max_concurrent</c> hosts queued ahead of it watches only the deletion of the queue place that many ahead (when
/// that host has released its slot, this one is near the front), so a release wakes one host rather than all of
/// them; a host near the front watches the semaphore and reads each change from the event itself, stepping only
/// when a slot is free and every host ahead of it holds one. All of them watch the halt and config keys.
/// </summary>
public sealed partial class FleetAgent
{
    /// <summary>What the last step left this host waiting for.</summary>
    private enum Waiting { Nothing, Slot, Resume }

    /// <summary>
    /// Returns when the group changed in a way that matters to this host (or, when it waits for nothing in etcd,
    /// after <paramref name="poll"/>); a slot holder's switch timeout ends the wait too, so overdue hosts are noticed.
    /// An unavailable etcd is waited out for <paramref name="poll"/>.
    /// </summary>
    public async Task WaitAsync(TimeSpan poll, CancellationToken cancel)
    {
        if (_waiting == Waiting.Nothing || _seen is not { Config: { } config } seen)
        {
            await Task.Delay(poll, clock, cancel).ConfigureAwait(false);
            return;
        }
        bool front = _waiting == Waiting.Slot && (seen.Nearest is null || seen.NearFront);
        string? behind = _waiting == Waiting.Slot && !front ? seen.Nearest?.FirstOrDefault() : null;
        var pending = new HashSet<string>(seen.WaitingAhead, StringComparer.Ordinal);

        using var deadline = new CancellationTokenSource(Until(seen, front && pending.Count > 0 ? poll * 10 : null), clock);
        using var wake = CancellationTokenSource.CreateLinkedTokenSource(cancel, deadline.Token);
        try
        {
            await foreach (WatchResult result in store.ChangesAsync(seen.Revision + 1, front, behind, wake.Token).ConfigureAwait(false))
                if (Wakes(result, seen, pending)) return;
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
        }
        catch (EtcdUnavailableException)
        {
            await Task.Delay(poll, clock, cancel).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Waits as <see cref="WaitAsync"/> does, renewing the presence lease every poll interval, and ends early when
    /// the machine's facts change (a new kernel was installed, so the host's target changed).
    /// </summary>
    private async Task IdleAsync(CancellationToken cancel)
    {
        HostFacts before = machine.Read();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        Task waiting = WaitAsync(settings.PollInterval, stop.Token);
        while (await Task.WhenAny(waiting, Task.Delay(settings.PollInterval, clock, cancel)).ConfigureAwait(false) != waiting)
        {
            try { await _presence.RenewAsync(cancel).ConfigureAwait(false); }
            catch (EtcdUnavailableException) { }
            if (machine.Read() != before) break;
        }
        await stop.CancelAsync().ConfigureAwait(false);
        try { await waiting.ConfigureAwait(false); }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested) { }
        cancel.ThrowIfCancellationRequested();
    }

    /// <summary>
    /// How long to wait at most: until the first slot holder becomes overdue, or <paramref name="cap"/> when sooner
    /// (a host near the front waits for the hosts ahead of it to take their slots, and looks again after ten polls in
    /// case one of them left the queue without taking one).
    /// </summary>
    private TimeSpan Until(GroupSnapshot seen, TimeSpan? cap)
    {
        TimeSpan wait = seen.Semaphore.Holders.Length == 0 ? Timeout.InfiniteTimeSpan
            : seen.Semaphore.Holders.Min(h => h.Since) + seen.Config!.SwitchTimeout - clock.GetUtcNow() + TimeSpan.FromSeconds(1);
        if (wait != Timeout.InfiniteTimeSpan && wait < TimeSpan.Zero) wait = TimeSpan.Zero;
        return cap is { } c && (wait == Timeout.InfiniteTimeSpan || c < wait) ? c : wait;
    }

    /// <summary>
    /// Whether <paramref name="result"/> is worth a step: any change to the halt, the config or the watched queue
    /// place is; a semaphore change is when it leaves a slot free and no host of <paramref name="pending"/> (queued
    /// ahead, without a slot when last read) still waits.
    /// </summary>
    private bool Wakes(WatchResult result, GroupSnapshot seen, HashSet<string> pending)
    {
        if (result.Canceled || result.CompactRevision > 0) return true;
        foreach (Event change in result.Events ?? [])
        {
            if (change.Kv is not { } kv || System.Text.Encoding.UTF8.GetString(kv.Key) != store.Keys.Semaphore) return true;
            Semaphore semaphore = change.Type == "DELETE" ? Semaphore.Empty : FleetRecords.Decode(kv, FleetRecords.Json.Semaphore) ?? Semaphore.Empty;
            pending.ExceptWith(semaphore.Holders.Select(h => h.Host));
            if (pending.Count == 0 && Slices.FreeSlots(seen.Config!, seen.Hosts, semaphore.Completed, semaphore.Holders.Length) > 0) return true;
        }
        return false;
    }
}
