using Rekernel.Fleet.Agent;

namespace Rekernel.Fleet.Simulation;

/// <summary>
/// A machine for <c>fleet simulate</c>: switching takes it down for the switch time and brings it back with a new
/// boot id on the target release, or, when <paramref name="bad"/>, on the old one (as a panicking kernel's
/// <c>panic=</c> fallback would).
/// </summary>
public sealed class SimulatedHost(string from, string to, bool bad, TimeSpan switchTime, TimeProvider clock) : IHostBackend
{
    private string _boot = Guid.NewGuid().ToString();
    private readonly string _from = from;
    private string _running = from;
    private DateTimeOffset? _backAt;

    public bool Bad => bad;

    /// <summary>How many times the agent switched this host.</summary>
    public int Switches { get; private set; }

    /// <summary>When the switch under way brings the machine back; null when none is.</summary>
    public DateTimeOffset? BackAt => _backAt;

    public HostFacts Read()
    {
        Boot();
        return new HostFacts(_boot, _running, to);
    }

    /// <summary>Brings the machine back once the switch time has passed: a new boot on the new (or, when bad, the old) release.</summary>
    private void Boot()
    {
        if (_backAt is { } back && clock.GetUtcNow() >= back)
        {
            _boot = Guid.NewGuid().ToString();
            _running = bad ? _from : to;
            _backAt = null;
        }
    }

    public void Switch()
    {
        Switches++;
        _backAt = clock.GetUtcNow() + switchTime;
    }

    public bool SwitchUnderWay()
    {
        Boot();
        return _backAt is not null;
    }

    public void Report(HostState state) { }

    public string? Verify() => _running == to ? null : $"the machine came back on {_running}, not {to}";
}
