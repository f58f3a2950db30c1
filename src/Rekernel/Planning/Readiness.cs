using Rekernel.Kexec;
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

    public const string Loader = "loader";

    /// <param name="method">How the kernel would be staged (<see cref="StagingMethod.Choose"/>).</param>
    public static IReadOnlyList<ReadinessCheck> Evaluate(RunningSystem machine, uint effectiveUid, StagingMethod method)
    {
        KexecFacts facts = KexecFacts.Read(machine, effectiveUid);
        return
        [
            Support(machine.KernelConfig, method.LegacySyscall),
            LoaderCheck(method),
            facts.LoadDisabled switch
            {
                true => Blocking("kexec-load-disabled", "kexec is disabled: kernel.kexec_load_disabled=1 is set; it can only be cleared by a reboot."),
                false => Ok("kexec-load-disabled", "kernel.kexec_load_disabled=0"),
                null => Ok("kexec-load-disabled", "unknown (/proc/sys/kernel/kexec_load_disabled unreadable)"),
            },
            Lockdown(facts.Lockdown, method.LegacySyscall),
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
            return Ok(name, config.Source is null
                ? "no kexec_file_load (no kernel config found, and the system call answered ENOSYS); kexec_load is tried"
                : $"kexec_load only: CONFIG_KEXEC=y without CONFIG_KEXEC_FILE ({config.Source})");
        }
        return config.IsEnabled("CONFIG_KEXEC_FILE") switch
        {
            null => Ok(name, "kexec_file_load answers (no kernel config found to say more)"),
            true => Ok(name, $"CONFIG_KEXEC_FILE=y ({config.Source})"),
            false => Blocking(name, $"the running kernel was built without kexec support ({config.Source}); reboot normally."),
        };
    }

    // The loader and its reason are a line of status and of the dry run; a loader that is not installed refuses.
    private static ReadinessCheck LoaderCheck(StagingMethod method) => (method.ViaKexecTools, method.Program) switch
    {
        (false, _) => Ok(Loader, $"kexec_file_load: {method.Reason}"),
        (true, { } program) => Ok(Loader, $"kexec-tools ({program}): {method.Reason}"),
        (true, null) => Blocking(Loader, method.LegacySyscall
            ? $"the running kernel has only the old kexec_load system call, which needs kexec-tools' kexec program, and it is not installed; {KexecTools.InstallAdvice}."
            : $"kexec-tools was asked for but its kexec program is not installed; {KexecTools.InstallAdvice}."),
    };

    // Lockdown does not forbid kexec_file_load: a kernel signed by a trusted key still loads, and only the kernel
    // can check that chain (built-in, secondary, platform keyrings). So it warns, lets the system call decide, and
    // KexecErrors explains its EPERM. The old kexec_load is refused outright (kernel/kexec.c, LOCKDOWN_KEXEC).
    private static ReadinessCheck Lockdown(LockdownMode? mode, bool legacySyscall) => mode switch
    {
        LockdownMode.Integrity or LockdownMode.Confidentiality => legacySyscall
            ? Blocking("lockdown", $"kernel lockdown ({ModeName(mode.Value)}) refuses the old kexec_load system call outright, and the running kernel has no kexec_file_load system call, so it cannot kexec into any kernel; reboot normally.")
            : new("lockdown", CheckState.Warning, new Finding(
                $"kernel lockdown is on ({ModeName(mode.Value)}): only kernels signed by a key in the built-in, secondary or platform keyring will load.")),
        LockdownMode.None => Ok("lockdown", "none"),
        _ => Ok("lockdown", "unknown (no lockdown LSM)"),
    };

    private static string ModeName(LockdownMode mode) => mode == LockdownMode.Integrity ? "integrity" : "confidentiality";

    private static ReadinessCheck Ok(string name, string detail) => new(name, CheckState.Ok, new Finding(detail));

    private static ReadinessCheck Blocking(string name, string sentence) => new(name, CheckState.Blocking, new Finding(sentence));
}
