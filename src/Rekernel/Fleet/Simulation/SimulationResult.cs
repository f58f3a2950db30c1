namespace Rekernel.Fleet.Simulation;

/// <summary>What <c>fleet simulate</c> measured; <see cref="MaxSlotsHeld"/> comes from etcd's history of the semaphore.</summary>
public sealed record SimulationResult(
    int Hosts,
    int OnTarget,
    int MaxSlotsHeld,
    double RolloutSeconds,
    double RequestsPerHost,
    bool Halted,
    string? HaltReason,
    int BadHostsSwitched);
