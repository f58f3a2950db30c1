using System.Text.Json.Serialization;

namespace Rekernel.Fleet.Simulation;

/// <summary>
/// What a <see cref="SimulatedHost"/> is: the releases it switches between, whether its new kernel is bad, how long
/// a switch takes, and where it is now. As a file (<c>rekernel agent --simulated-machine FILE</c>, for the process
/// tests) it outlives the agent process, as a machine outlives its agent; the file may give only the first four
/// fields, the rest start as a new machine on <see cref="From"/>.
/// </summary>
public sealed record SimulatedMachine(
    [property: JsonPropertyName("from")] string From,
    [property: JsonPropertyName("to")] string To,
    [property: JsonPropertyName("bad")] bool Bad,
    [property: JsonPropertyName("switchSeconds")] double SwitchSeconds,
    [property: JsonPropertyName("machineId")] string? MachineId = null,
    [property: JsonPropertyName("bootId")] string? BootId = null,
    [property: JsonPropertyName("running")] string? Running = null,
    [property: JsonPropertyName("backAt")] DateTimeOffset? BackAt = null,
    [property: JsonPropertyName("switches")] int Switches = 0);
