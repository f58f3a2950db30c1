using Microsoft.Win32.SafeHandles;

namespace Rekernel.Kexec;

/// <summary>
/// The system calls rekernel needs, and nothing else: everything above this is tested with a fake, the real
/// implementation runs in the VM lab. Failures throw <see cref="KexecException"/> carrying the errno.
/// </summary>
public interface IKexecSystem
{
    /// <summary><c>kexec_file_load(2)</c>: stages <paramref name="kernel"/> with an optional initrd and the command line.</summary>
    void LoadFile(SafeFileHandle kernel, SafeFileHandle? initrd, string cmdline);

    /// <summary><c>kexec_file_load(2)</c> with <c>KEXEC_FILE_UNLOAD</c>.</summary>
    void Unload();

    /// <summary>
    /// Whether the running kernel has <c>kexec_file_load(2)</c> at all, for a machine whose config does not say: the
    /// call, made with flags the kernel rejects before it looks at anything, fails with another error than ENOSYS.
    /// It stages and unloads nothing.
    /// </summary>
    bool HasFileLoad { get; }

    /// <summary>Whether a kernel is staged (<c>/sys/kernel/kexec_loaded</c>); null when it cannot be read.</summary>
    bool? IsLoaded { get; }

    /// <summary>An anonymous in-memory file (<c>memfd_create(2)</c>) to assemble initrds or a UKI's kernel in.</summary>
    SafeFileHandle CreateMemoryFile(string name);

    /// <summary><c>sync(2)</c>, then <c>reboot(LINUX_REBOOT_CMD_KEXEC)</c>; returns only by throwing.</summary>
    void SyncAndRebootIntoStaged();
}
