using System.Runtime.InteropServices;
using Rekernel.Discovery;
using Rekernel.Images;
using Rekernel.Kexec;

namespace Rekernel.Planning;

/// <summary>
/// Refuses (<see cref="ExitCode.Refused"/>, one sentence) what would fail or be unsafe to stage, before the
/// machine is touched. File ownership, permissions and confinement are checked when the files are opened
/// (<see cref="OpenedImages.Open"/>); this checks the machine and how the files fit together.
/// </summary>
public sealed class Preflight(BootRoot root, RunningSystem running, Func<uint> effectiveUid)
{
    // The kernel keeps its own copy of every segment, and the new kernel needs room to decompress into.
    private const long HeadroomBytes = 64L << 20;

    /// <summary>Runs every check; returns warnings that do not stop staging.</summary>
    /// <param name="staging">False for a dry run: the privilege check is skipped, as nothing is staged.</param>
    /// <param name="legacySyscall">Staging through <c>kexec -c</c> (the old <c>kexec_load</c>), which needs CONFIG_KEXEC instead.</param>
    public IReadOnlyList<string> Check(BootEntry entry, OpenedImages images, bool staging, bool legacySyscall = false)
    {
        var warnings = new List<string>();
        KexecFacts facts = KexecFacts.Read(root, effectiveUid());
        if (staging && !facts.IsRoot)
            ThrowHelper.Refuse($"staging a kernel needs CAP_SYS_BOOT and this runs as uid {effectiveUid()}; run rekernel as root.");
        CheckSupport(legacySyscall);
        if (facts.LoadDisabled == true)
            ThrowHelper.Refuse("kexec is disabled: kernel.kexec_load_disabled=1 is set; it can only be cleared by a reboot.");
        // Lockdown does not forbid kexec_file_load: a kernel signed by a trusted key still loads, and only the
        // kernel can check that chain (built-in, secondary, platform keyrings). So warn here, let the system call
        // decide, and explain its EPERM (KexecErrors).
        if (facts.Lockdown is LockdownMode.Integrity or LockdownMode.Confidentiality)
            warnings.Add(legacySyscall
                ? "kernel lockdown is on and refuses the old kexec_load system call outright; drop --use-kexec-tools or reboot normally."
                : "kernel lockdown is on: only kernels signed by a key in the built-in, secondary or platform keyring will load.");
        CheckKernelImage(entry, images.Kernel);
        CheckInitrdPresent(entry);
        CheckInitrdVersions(entry);
        CheckMemory(images);
        return warnings;
    }

    private void CheckSupport(bool legacySyscall)
    {
        KernelConfig config = KernelConfig.Read(root, running.Release);
        if (legacySyscall)
        {
            if (config.IsEnabled("CONFIG_KEXEC") == false)
                ThrowHelper.Refuse($"the running kernel was built without CONFIG_KEXEC ({config.Source}), so kexec cannot work on it; reboot normally.");
            return;
        }
        if (config.IsEnabled("CONFIG_KEXEC_FILE") == false)
            ThrowHelper.Refuse(config.IsEnabled("CONFIG_KEXEC") == true
                ? $"the running kernel was built without CONFIG_KEXEC_FILE ({config.Source}); retry with --use-kexec-tools to use the older kexec_load system call."
                : $"the running kernel was built without kexec support ({config.Source}); reboot normally.");
    }

    // Read from the descriptor that will be staged: a file that is not a loadable bzImage (truncated by a full
    // disk, a half-finished package install) must be refused before the jump, not crash after it.
    private static void CheckKernelImage(BootEntry entry, ImageFile kernel)
    {
        if (RuntimeInformation.ProcessArchitecture != Architecture.X64) return;
        long offset = entry.Uki?.Linux.Offset ?? 0;
        long length = entry.Uki?.Linux.Length ?? kernel.Size;
        byte[] head = new byte[(int)Math.Min(length, BzImageHeader.MaxSetupLength)];
        int read = RandomAccess.Read(kernel.Handle, head, offset);
        BzImageParseResult parsed = BzImageHeader.Parse(head.AsSpan(0, read), length);
        if (!parsed.IsValid)
            ThrowHelper.Refuse($"{kernel.PathInRoot} cannot be staged: {parsed.Problem}; reinstall the kernel package that owns it.");
    }

    // A kernel found loose in /boot without its initrd is almost always an interrupted install: distribution
    // kernels cannot mount the root file system without one, and the machine would panic after the jump.
    private static void CheckInitrdPresent(BootEntry entry)
    {
        if (entry.Source != BootEntrySource.BootDir || !entry.Initrds.IsEmpty) return;
        string version = entry.Version ?? FileName(entry.Kernel);
        ThrowHelper.Refuse($"{entry.Kernel} has no initrd in /boot (looked for initrd.img-{version}, initramfs-{version}.img, initrd-{version}); build it (update-initramfs -c -k {version}, or dracut --kver {version}) and retry.");
    }

    // An initrd built for another kernel boots without that kernel's modules, typically without its root disk.
    private static void CheckInitrdVersions(BootEntry entry)
    {
        string? kernelVersion = entry.Version ?? KernelRelease.FromFileName(entry.Kernel);
        if (kernelVersion is null) return;
        foreach (string initrd in entry.Initrds)
        {
            string? version = KernelRelease.FromFileName(initrd);
            if (version is null) continue;
            if (version == kernelVersion || version.StartsWith(kernelVersion + "-", StringComparison.Ordinal)) continue;
            ThrowHelper.Refuse($"the initrd {initrd} was built for kernel {version}, not {kernelVersion}; regenerate it (update-initramfs -c -k {kernelVersion} or dracut --kver {kernelVersion}) or fix the entry.");
        }
    }

    private void CheckMemory(OpenedImages images)
    {
        if (MemAvailableBytes() is not { } available) return;
        long needed = images.TotalBytes + HeadroomBytes;
        if (available < needed)
            ThrowHelper.Refuse($"only {available >> 20} MiB of memory is available but staging needs about {needed >> 20} MiB (kernel and initrds plus headroom); free memory and retry.");
    }

    private long? MemAvailableBytes()
    {
        string? meminfo = root.ReadText("/proc/meminfo");
        if (meminfo is null) return null;
        foreach (string line in meminfo.Split('\n'))
        {
            if (!line.StartsWith("MemAvailable:", StringComparison.Ordinal)) continue;
            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return fields.Length >= 2 && long.TryParse(fields[1], out long kib) ? kib * 1024 : null;
        }
        return null;
    }

    private static string FileName(string path) => path[(path.LastIndexOf('/') + 1)..];
}
