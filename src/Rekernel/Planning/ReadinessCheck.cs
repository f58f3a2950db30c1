namespace Rekernel.Planning;

/// <summary>One fact that decides whether this machine can kexec: a line of <c>rekernel status</c>, and a refusal or warning of preflight.</summary>
/// <param name="Name"><c>kexec-support</c>, <c>kexec-load-disabled</c>, <c>lockdown</c>, <c>secure-boot</c>, <c>tpm2-unlock</c> or <c>root</c>.</param>
/// <param name="Detail">The one sentence for this fact, shown by <c>status</c> and, when it stops staging, as the refusal.</param>
public readonly record struct ReadinessCheck(string Name, CheckState State, Finding Detail)
{
    public bool Ok => State == CheckState.Ok;
}
