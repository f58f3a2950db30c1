using Rekernel.Machine;

namespace Rekernel.Planning;

/// <summary>
/// Whether the running machine can kexec, evaluated once for both <c>rekernel status</c> (every check, as a report)
/// and preflight (blocking checks refuse, warnings are shown): each fact has one sentence.
/// </summary>
public static class Readiness
{
    public const string Root = "root";
    public const string Tpm2 = "tpm2-unlock";

    /// <summary>The one sentence for a TPM2-sealed unlock, from what <see cref="Machine.Tpm2Unlock"/> found.</summary>
    public static string Tpm2Sentence(string found) =>
        $"{found}, but the kexec'd kernel does not reproduce the TPM2 measurements, so that unlock will ask for a passphrase on the console.";

    /// <param name="legacySyscall">Staging through kexec-tools' <c>kexec -c</c> (the old <c>kexec_load</c>), which needs CONFIG_KEXEC instead.</param>
    public static IReadOnlyList<ReadinessCheck> Evaluate(RunningSystem machine, uint effectiveUid, bool legacySyscall = false)
    {
        KexecFacts facts = KexecFacts.Read(machine, effectiveUid);
        return
        [
            Support(machine.KernelConfig, legacySyscall),
            facts.LoadDisabled switch
            {
                true => Blocking("kexec-load-disabled", "kexec is disabled: kernel.kexec_load_disabled=1 is set; it can only be cleared by a reboot."),
                false => Ok("kexec-load-disabled", "kernel.kexec_load_disabled=0"),
                null => Ok("kexec-load-disabled", "unknown (/proc/sys/kernel/kexec_load_disabled unreadable)"),
            },
            Lockdown(facts.Lockdown, legacySyscall),
            facts.SecureBoot switch
            {
                true => Ok("secure-boot", "enabled: the kernel must be signed by a key in db or the MOK list"),
                false => Ok("secure-boot", "disabled"),
                null => Ok("secure-boot", "unknown (not booted with UEFI, or efivarfs not mounted)"),
            },
            machine.Tpm2Unlock is { } tpm2
                ? new(Tpm2, CheckState.Warning, new Finding(Tpm2Sentence(tpm2)))
                : Ok(Tpm2, "no TPM2-sealed volume key found (crypttab tpm2-device=, clevis TPM2 pin)"),
            facts.IsRoot
                ? Ok(Root, "running as root")
                : Blocking(Root, $"staging a kernel needs CAP_SYS_BOOT and this runs as uid {effectiveUid}; run rekernel as root."),
        ];
    }

    private static ReadinessCheck Support(KernelConfig config, bool legacySyscall)
    {
        const string name = "kexec-support";
        if (legacySyscall)
        {
            return config.IsEnabled("CONFIG_KEXEC") switch
            {
                null => Ok(name, "unknown (no kernel config found; the system call will tell)"),
                true => Ok(name, $"CONFIG_KEXEC=y ({config.Source})"),
                false => Blocking(name, $"the running kernel was built without CONFIG_KEXEC ({config.Source}), so kexec cannot work on it; reboot normally."),
            };
        }
        return (config.IsEnabled("CONFIG_KEXEC_FILE"), config.IsEnabled("CONFIG_KEXEC")) switch
        {
            (null, _) => Ok(name, "unknown (no kernel config found; the system call will tell)"),
            (true, _) => Ok(name, $"CONFIG_KEXEC_FILE=y ({config.Source})"),
            (false, true) => new(name, CheckState.Blocking, new Finding($"the running kernel was built without CONFIG_KEXEC_FILE ({config.Source})", Remedy.UseKexecTools)),
            _ => Blocking(name, $"the running kernel was built without kexec support ({config.Source}); reboot normally."),
        };
    }

    // Lockdown does not forbid kexec_file_load: a kernel signed by a trusted key still loads, and only the kernel
    // can check that chain (built-in, secondary, platform keyrings). So it warns, lets the system call decide, and
    // KexecErrors explains its EPERM.
    private static ReadinessCheck Lockdown(LockdownMode? mode, bool legacySyscall) => mode switch
    {
        LockdownMode.Integrity or LockdownMode.Confidentiality => legacySyscall
            ? new("lockdown", CheckState.Warning, new Finding("kernel lockdown is on and refuses the old kexec_load system call outright", Remedy.AvoidKexecTools))
            : new("lockdown", CheckState.Warning, new Finding(
                $"kernel lockdown is on ({(mode == LockdownMode.Integrity ? "integrity" : "confidentiality")}): only kernels signed by a key in the built-in, secondary or platform keyring will load.")),
        LockdownMode.None => Ok("lockdown", "none"),
        _ => Ok("lockdown", "unknown (no lockdown LSM)"),
    };

    private static ReadinessCheck Ok(string name, string detail) => new(name, CheckState.Ok, new Finding(detail));

    private static ReadinessCheck Blocking(string name, string sentence) => new(name, CheckState.Blocking, new Finding(sentence));
}
