namespace Rekernel.Operations;

/// <summary>Stage a kernel (<see cref="Load"/>); with <see cref="DryRun"/> only plan and check it.</summary>
public sealed record LoadRequest(StageRequest Stage, bool DryRun = false);
