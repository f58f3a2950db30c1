using System.Text.Json.Serialization;

namespace Rekernel.Fleet;

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GroupConfig))]
[JsonSerializable(typeof(HaltRecord))]
[JsonSerializable(typeof(Semaphore))]
[JsonSerializable(typeof(HostRecord))]
[JsonSerializable(typeof(Simulation.SimulatedMachine))]
internal sealed partial class FleetJsonContext : JsonSerializerContext;
