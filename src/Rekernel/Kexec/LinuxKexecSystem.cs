using Microsoft.Win32.SafeHandles;
using Rekernel.Discovery;

namespace Rekernel.Kexec;

/// <summary>The real system calls. <paramref name="root"/> is where <c>/proc</c> and <c>/sys</c> are read to explain failures.</summary>
public sealed class LinuxKexecSystem(BootRoot root, Func<uint> effectiveUid) : IKexecSystem
{
    public LinuxKexecSystem(BootRoot root) : this(root, UserIdentity.EffectiveUid) { }

    public bool? IsLoaded => new RunningSystem(root).KexecLoaded;

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
        if (errno != 0) throw Failure(errno, KexecOperation.Unload);
    }

    public SafeFileHandle CreateMemoryFile(string name) => MemfdSyscalls.Create(name);

    public void SyncAndRebootIntoStaged()
    {
        RebootSyscalls.Sync();
        int errno = RebootSyscalls.RebootKexec();
        throw Failure(errno == 0 ? Errno.EINVAL : errno, KexecOperation.Reboot);
    }

    private KexecException Failure(int errno, KexecOperation operation) =>
        KexecErrors.Exception(errno, operation, KexecFacts.Read(root, effectiveUid()));
}
