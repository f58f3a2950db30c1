namespace Rekernel.Machine;

/// <summary>
/// The machine state that decides why the kernel refuses kexec (one EPERM has three causes); each is null when unknown.
/// </summary>
public readonly record struct KexecFacts(bool IsRoot, bool? LoadDisabled, LockdownMode? Lockdown, bool? SecureBoot)
{
    /// <summary>Reads the facts of the running machine.</summary>
    public static KexecFacts Read(RunningSystem machine, uint effectiveUid) =>
        new(effectiveUid == 0, machine.KexecLoadDisabled, machine.Lockdown, machine.SecureBoot);

    /// <summary>The bracketed mode of <c>none [integrity] confidentiality</c>; null when absent or unreadable.</summary>
    public static LockdownMode? ParseLockdown(string? text)
    {
        if (text is null) return null;
        int open = text.IndexOf('[');
        int close = open < 0 ? -1 : text.IndexOf(']', open);
        if (close < 0) return null;
        return text[(open + 1)..close] switch
        {
            "none" => LockdownMode.None,
            "integrity" => LockdownMode.Integrity,
            "confidentiality" => LockdownMode.Confidentiality,
            _ => null,
        };
    }

    /// <summary>An efivarfs file is 4 attribute bytes then the value; SecureBoot's value byte is 1 when enabled.</summary>
    public static bool? ParseSecureBoot(byte[]? variable) => variable is { Length: >= 5 } ? variable[4] == 1 : null;
}
