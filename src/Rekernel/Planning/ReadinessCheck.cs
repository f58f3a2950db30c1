namespace Rekernel.Planning;

/// <summary>One line of <c>rekernel status</c>'s readiness report.</summary>
/// <param name="Name"><c>kexec-support</c>, <c>kexec-load-disabled</c>, <c>lockdown</c>, <c>secure-boot</c> or <c>root</c>.</param>
public readonly record struct ReadinessCheck(string Name, bool Ok, string Detail);
