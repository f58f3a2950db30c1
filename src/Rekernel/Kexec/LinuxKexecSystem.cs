using Microsoft.Win32.SafeHandles;
using Rekernel.Machine;
using Rekernel.Native;

namespace Rekernel.Kexec;

/// <summary>The real system calls. <paramref name="machine"/> is read to explain failures (lockdown, kexec_load_disabled).</summary>
public sealed class LinuxKexecSystem(RunningSystem machine, uint effectiveUid) : IKexecSystem
{
    public bool? IsLoaded => machine.KexecLoaded;

    public bool HasFileLoad => KexecSyscalls.FileLoad(-1, -1, null, KexecSyscalls.FlagNoKernelAccepts) != Errno.ENOSYS;

    public void LoadFile(SafeFileHandle kernel, SafeFileHandle? initrd, string cmdline)
    {
        bool kernelRef = false, initrdRef = false;
        try
        {
            kernel.DangerousAddRef(ref kernelRef);
            initrd?.DangerousAddRef(ref initrdRef);
            int initrdFd = initrd is null ? -1 : (int)initrd.DangerousGetHandle();
            nuint flags = initrd is null ? KexecSyscalls.KEXEC_FILE_NO_INITRAMFS : 0;
            int errno = KexecSyscalls.FileLoad((int)kernel.DangerousGetHandle(), initrdFd, cmdline, flags);
            if (errno != 0) throw Failure(errno, KexecOperation.Load);
        }
        finally
        {
            if (initrdRef) initrd!.DangerousRelease();
            if (kernelRef) kernel.DangerousRelease();
        }
    }

    public void Unload()
    {
        int errno = KexecSyscalls.FileLoad(-1, -1, null, KexecSyscalls.KEXEC_FILE_UNLOAD);
        // A kernel with only kexec_load (Debian's arm64 kernels; kexec-tools staged there) unloads through that call.
        if (errno == Errno.ENOSYS) errno = KexecSyscalls.LegacyUnload();
        if (errno != 0) throw Failure(errno, KexecOperation.Unload);
    }

    public SafeFileHandle CreateMemoryFile(string name) => MemfdSyscalls.Create(name, out int errno) ?? throw MemoryFileFailure(errno);

    public void SyncAndRebootIntoStaged()
    {
        RebootSyscalls.Sync();
        int errno = RebootSyscalls.RebootKexec();
        throw Failure(errno == 0 ? Errno.EINVAL : errno, KexecOperation.Reboot);
    }

    /// <summary>The error of a memory file the kernel would not create.</summary>
    public static KexecException MemoryFileFailure(int errno) =>
        new(errno, new Finding($"memfd_create failed ({Errno.Name(errno)}); the running kernel cannot hold the images in memory, free some memory and retry."));

    private KexecException Failure(int errno, KexecOperation operation) =>
        KexecErrors.Exception(errno, operation, KexecFacts.Read(machine, effectiveUid));
}
