using Rekernel.Planning;

namespace Rekernel.Kexec;

/// <summary>Executes a <see cref="LoadPlan"/> with the system calls: unload, load, then confirm the kernel says it is staged.</summary>
public sealed class Stager(IKexecSystem kexec)
{
    /// <summary>Stages the plan's images; throws <see cref="KexecException"/> when the kernel refuses.</summary>
    /// <returns>True when <c>/sys/kernel/kexec_loaded</c> confirmed it, false when that file could not be read.</returns>
    public bool Stage(LoadPlan plan, KexecImageSet images)
    {
        // A previously staged kernel would otherwise stay staged if this load fails half-way.
        kexec.Unload();
        kexec.LoadFile(images.Kernel, images.Initrd, plan.Cmdline);
        return Confirmed(plan);
    }

    /// <summary>Stages through kexec-tools instead of the system call.</summary>
    public bool StageWithKexecTools(LoadPlan plan, KexecImageSet images, KexecTools tools, bool legacySyscall)
    {
        tools.Unload();
        tools.Load(images, plan.Cmdline, legacySyscall);
        return Confirmed(plan);
    }

    /// <summary>Unloads whatever is staged; returns whether something was (null when it cannot be known).</summary>
    public bool? Unload()
    {
        bool? wasLoaded = kexec.IsLoaded;
        kexec.Unload();
        return wasLoaded;
    }

    private bool Confirmed(LoadPlan plan) => kexec.IsLoaded switch
    {
        true => true,
        null => false,
        false => throw new RekernelException(ExitCode.KexecFailed,
            $"the kernel accepted {plan.Kernel} but /sys/kernel/kexec_loaded still reads 0; nothing is staged, see dmesg and retry."),
    };
}
