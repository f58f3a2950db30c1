using System.Text.Json;
using Rekernel.Fleet.Agent;
using Rekernel.Journal;

namespace Rekernel.Fleet.Simulation;

/// <summary>
/// A machine for <c>fleet simulate</c> and the process tests: switching takes it down for the switch time and
/// brings it back with a new boot id on the target release, or, when bad, on the old one (as a panicking kernel's
/// <c>panic=</c> fallback would). With a state file every change is written to it atomically, so that an agent
/// process killed at any point finds the machine as it left it.
/// </summary>
public sealed class SimulatedHost : IHostBackend
{
    private readonly TimeProvider _clock;
    private readonly string? _file;
    private SimulatedMachine _state;

    public SimulatedHost(string from, string to, bool bad, TimeSpan switchTime, TimeProvider clock)
        : this(new SimulatedMachine(from, to, bad, switchTime.TotalSeconds), clock, null) { }

    private SimulatedHost(SimulatedMachine state, TimeProvider clock, string? file)
    {
        _clock = clock;
        _file = file;
        _state = state with
        {
            MachineId = state.MachineId ?? Guid.NewGuid().ToString("N"),
            BootId = state.BootId ?? Guid.NewGuid().ToString(),
            Running = state.Running ?? state.From,
        };
    }

    /// <summary>The machine described by <paramref name="file"/>, kept there from now on.</summary>
    public static SimulatedHost Open(string file, TimeProvider clock)
    {
        SimulatedMachine? state;
        try
        {
            state = JsonSerializer.Deserialize(File.ReadAllBytes(file), FleetRecords.Json.SimulatedMachine);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new RekernelException(ExitCode.Usage, $"cannot read the simulated machine {file} ({ex.Message.TrimEnd('.')}); give a JSON file with from, to, bad and switchSeconds.", ex);
        }
        if (state is null || string.IsNullOrEmpty(state.From) || string.IsNullOrEmpty(state.To))
            throw new RekernelException(ExitCode.Usage, $"the simulated machine {file} names no from and to release; give a JSON file with from, to, bad and switchSeconds.");
        var host = new SimulatedHost(state, clock, file);
        host.Save();
        return host;
    }

    public bool Bad => _state.Bad;

    /// <summary>A simulated machine is always ready; a bad one shows only after its switch.</summary>
    public string? NotReady() => null;

    /// <summary>How many times the agent switched this host.</summary>
    public int Switches => _state.Switches;

    /// <summary>When the switch under way brings the machine back; null when none is.</summary>
    public DateTimeOffset? BackAt => _state.BackAt;

    /// <summary>While a switch is under way the machine is down: its agent process should not run until then.</summary>
    public TimeSpan DownFor => _state.BackAt is { } back && back > _clock.GetUtcNow() ? back - _clock.GetUtcNow() : TimeSpan.Zero;

    public HostFacts Read()
    {
        Boot();
        return new HostFacts(_state.BootId!, _state.Running!, _state.To) { MachineId = _state.MachineId };
    }

    /// <summary>Brings the machine back once the switch time has passed: a new boot on the new (or, when bad, the old) release.</summary>
    private void Boot()
    {
        if (_state.BackAt is { } back && _clock.GetUtcNow() >= back)
            Change(_state with { BootId = Guid.NewGuid().ToString(), Running = _state.Bad ? _state.From : _state.To, BackAt = null });
    }

    public void Switch() =>
        Change(_state with { Switches = _state.Switches + 1, BackAt = _clock.GetUtcNow() + TimeSpan.FromSeconds(_state.SwitchSeconds) });

    public bool SwitchUnderWay()
    {
        Boot();
        return _state.BackAt is not null;
    }

    public void Report(HostState state) { }

    public string? Verify() => _state.Running == _state.To ? null : $"the machine came back on {_state.Running}, not {_state.To}";

    private void Change(SimulatedMachine state)
    {
        _state = state;
        Save();
    }

    private void Save()
    {
        if (_file is not null) new AtomicStateFileSystem().WriteFileAtomically(_file, JsonSerializer.SerializeToUtf8Bytes(_state, FleetRecords.Json.SimulatedMachine));
    }
}
