namespace Rekernel.Health;

/// <summary>
/// One check of <c>verify</c>: "drivers", "network", "kdump", "units" or "command: NAME", whether it passed, and a
/// sentence saying what was found (on failure: what is missing).
/// </summary>
public sealed record HealthCheck(string Name, bool Passed, string Detail);
