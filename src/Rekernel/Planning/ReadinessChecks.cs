using Rekernel.Discovery;
using Rekernel.Kexec;

namespace Rekernel.Planning;

/// <summary>Whether this machine can kexec at all, for <c>rekernel status</c>; pure over the root.</summary>
public static class ReadinessChecks
{
    public static IReadOnlyList<ReadinessCheck> Evaluate(BootRoot root, RunningSystem running, uint effectiveUid)
    {
        KexecFacts facts = KexecFacts.Read(root, effectiveUid);
        KernelConfig config = KernelConfig.Read(root, running.Release);
        return
        [
            Support(config),
            facts.LoadDisabled switch
            {
                true => new("kexec-load-disabled", false, "kernel.kexec_load_disabled=1; it can only be cleared by a reboot"),
                false => new("kexec-load-disabled", true, "kernel.kexec_load_disabled=0"),
                null => new("kexec-load-disabled", true, "unknown (/proc/sys/kernel/kexec_load_disabled unreadable)"),
            },
            facts.Lockdown switch
            {
                LockdownMode.Integrity or LockdownMode.Confidentiality => new("lockdown", false,
                    $"{(facts.Lockdown == LockdownMode.Integrity ? "integrity" : "confidentiality")}: only kernels signed by a trusted key load"),
                LockdownMode.None => new("lockdown", true, "none"),
                _ => new("lockdown", true, "unknown (no lockdown LSM)"),
            },
            facts.SecureBoot switch
            {
                true => new("secure-boot", true, "enabled: the kernel must be signed by a key in db or the MOK list"),
                false => new("secure-boot", true, "disabled"),
                null => new("secure-boot", true, "unknown (not booted with UEFI, or efivarfs not mounted)"),
            },
            facts.IsRoot
                ? new("root", true, "running as root")
                : new("root", false, $"running as uid {effectiveUid}; staging needs root (CAP_SYS_BOOT)"),
        ];
    }

    private static ReadinessCheck Support(KernelConfig config) =>
        (config.IsEnabled("CONFIG_KEXEC_FILE"), config.IsEnabled("CONFIG_KEXEC")) switch
        {
            (null, _) => new("kexec-support", true, "unknown (no kernel config found; the system call will tell)"),
            (true, _) => new("kexec-support", true, $"CONFIG_KEXEC_FILE=y ({config.Source})"),
            (false, true) => new("kexec-support", false, $"only CONFIG_KEXEC ({config.Source}); use --use-kexec-tools"),
            _ => new("kexec-support", false, $"the running kernel has no kexec ({config.Source})"),
        };
}
