using System.Runtime.InteropServices;
using Rekernel.Discovery;
using Rekernel.Images;
using Rekernel.Machine;

namespace Rekernel.Planning;

/// <summary>
/// Refuses (<see cref="ExitCode.Refused"/>, one sentence) what would fail or be unsafe to stage, before the
/// machine is touched. File ownership, permissions and confinement are checked when the files are opened
/// (<see cref="OpenedImages.Open"/>); this checks the machine and how the files fit together.
/// </summary>
/// <param name="architecture">The running machine's architecture; defaults to the process's (a seam for tests).</param>
public sealed class Preflight(RunningSystem machine, uint effectiveUid, Architecture? architecture = null)
{
    private readonly Architecture _architecture = architecture ?? RuntimeInformation.ProcessArchitecture;

    // The kernel keeps its own copy of every segment, and the new kernel needs room to decompress into.
    private const long HeadroomBytes = 64L << 20;

    /// <summary>Runs every check; returns warnings that do not stop staging.</summary>
    /// <param name="staging">False for a dry run: the privilege check is skipped, as nothing is staged.</param>
    /// <param name="method">How the kernel will be staged: the system call, or kexec-tools (which must be installed).</param>
    public IReadOnlyList<Finding> Check(BootEntry entry, OpenedImages images, bool staging, StagingMethod method)
    {
        var warnings = new List<Finding>();
        foreach (ReadinessCheck check in Readiness.Evaluate(machine, effectiveUid, method))
        {
            if (check.Name == Readiness.Root && !staging) continue;
            if (check.State == CheckState.Blocking) throw new RekernelException(ExitCode.Refused, check.Detail);
            if (check.State == CheckState.Warning) warnings.Add(check.Detail);
        }
        CheckKernelImage(entry, images.Kernel);
        CheckInitrdPresent(entry);
        CheckInitrdVersions(entry);
        CheckMemory(images);
        return warnings;
    }

    // Read from the descriptor that will be staged: a file that is not a loadable kernel for this machine (truncated
    // by a full disk, a half-finished package install, the other architecture's package) must be refused before the
    // jump, not crash after it. Each architecture checks its own header (bzImage on x86-64, Image on arm64); an arm64
    // Image that is gzip or EFI zboot is checked decompressed, as it will be staged.
    private void CheckKernelImage(BootEntry entry, ImageFile kernel)
    {
        if (_architecture is not (Architecture.X64 or Architecture.Arm64)) return;
        long offset = entry.Uki?.Linux.Offset ?? 0;
        long length = entry.Uki?.Linux.Length ?? kernel.Size;
        byte[] head = new byte[(int)Math.Min(length, BzImageHeader.MaxSetupLength)];
        int read = RandomAccess.Read(kernel.Handle, head, offset);
        ReadOnlySpan<byte> bytes = head.AsSpan(0, read);
        string? problem;
        if (_architecture == Architecture.X64)
        {
            if (Arm64ImageHeader.HasMagic(bytes))
                ThrowHelper.Refuse($"{kernel.PathInRoot} is an arm64 kernel but this machine is x86-64; install the kernel package built for amd64 (x86-64) and retry.");
            problem = BzImageHeader.Parse(bytes, length).Problem;
        }
        else
        {
            if (BzImageHeader.Parse(bytes, length).Header is not null)
                ThrowHelper.Refuse($"{kernel.PathInRoot} is an x86 kernel (bzImage) but this machine is arm64; install the kernel package built for arm64 and retry.");
            problem = Arm64Problem(kernel, new FileSpan(offset, length), bytes);
        }
        if (problem is not null)
            ThrowHelper.Refuse($"{kernel.PathInRoot} cannot be staged: {problem}; reinstall the kernel package that owns it.");
    }

    private static string? Arm64Problem(ImageFile kernel, FileSpan span, ReadOnlySpan<byte> head)
    {
        PackedKernel packed = PackedKernel.Detect(head, span);
        if (packed.Problem is not null || packed.Packing == KernelPacking.Plain)
            return packed.Problem ?? Arm64ImageHeader.Parse(head, span.Length).Problem;
        try
        {
            return Arm64ImageHeader.Parse(KernelUnpacker.ReadHead(kernel.Handle, packed, Arm64ImageHeader.HeaderLength)).Problem;
        }
        catch (InvalidDataException e)
        {
            return $"its compressed kernel is corrupt ({e.Message})";
        }
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
        if (machine.MemAvailableBytes is not { } available) return;
        long needed = images.TotalBytes + HeadroomBytes;
        if (available < needed)
            ThrowHelper.Refuse($"only {available >> 20} MiB of memory is available but staging needs about {needed >> 20} MiB (kernel and initrds plus headroom); free memory and retry.");
    }

    private static string FileName(string path) => path[(path.LastIndexOf('/') + 1)..];
}
