using System.Runtime.InteropServices;

namespace Rekernel.Native;

/// <summary>
/// <c>kexec_file_load(2)</c> through libc's <c>syscall()</c> (glibc has no wrapper for it), and the unload of the old
/// <c>kexec_load(2)</c>, for kernels that have only that (kexec-tools staged the kernel there).
/// </summary>
internal static partial class KexecSyscalls
{
    public const nuint KEXEC_FILE_UNLOAD = 1;
    public const nuint KEXEC_FILE_ON_CRASH = 2;
    public const nuint KEXEC_FILE_NO_INITRAMFS = 4;

    /// <summary>
    /// A flag no kernel defines: kexec_file_load answers it with EINVAL (EPERM without CAP_SYS_BOOT) before it takes
    /// the kexec lock or reads a descriptor (kernel/kexec_file.c, since the call's first version), so a call with it
    /// only tells whether the system call exists.
    /// </summary>
    public const nuint FlagNoKernelAccepts = (nuint)1 << 31;

    public const int SYS_kexec_file_load_x64 = 320;
    public const int SYS_kexec_file_load_arm64 = 294;
    public const int SYS_kexec_load_x64 = 246;
    public const int SYS_kexec_load_arm64 = 104;

    /// <summary>The syscall number for this process's architecture, or -1 where rekernel does not know it.</summary>
    public static int SYS_kexec_file_load => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => SYS_kexec_file_load_x64,
        Architecture.Arm64 => SYS_kexec_file_load_arm64,
        _ => -1,
    };

    private static int SYS_kexec_load => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => SYS_kexec_load_x64,
        Architecture.Arm64 => SYS_kexec_load_arm64,
        _ => -1,
    };

    /// <summary><c>kexec_load(0, 0, NULL, 0)</c>: no segments unloads the staged kernel. Returns 0 or the errno.</summary>
    public static unsafe int LegacyUnload()
    {
        if (SYS_kexec_load < 0) return Errno.ENOSYS;
        nint rc = Syscall(SYS_kexec_load, 0, 0, 0, null, 0);
        return rc == -1 ? Marshal.GetLastPInvokeError() : 0;
    }

    /// <summary>Returns 0 or the errno of the failure (ENOSYS on an architecture rekernel has no number for).</summary>
    public static unsafe int FileLoad(int kernelFd, int initrdFd, string? cmdline, nuint flags)
    {
        if (SYS_kexec_file_load < 0) return Errno.ENOSYS;
        // The kernel wants the length including the terminating NUL.
        byte[]? bytes = cmdline is null ? null : System.Text.Encoding.UTF8.GetBytes(cmdline + "\0");
        fixed (byte* p = bytes)
        {
            nint rc = Syscall(SYS_kexec_file_load, kernelFd, initrdFd, (nuint)(bytes?.Length ?? 0), p, flags);
            return rc == -1 ? Marshal.GetLastPInvokeError() : 0;
        }
    }

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static unsafe partial nint Syscall(nint number, nint kernelFd, nint initrdFd, nuint cmdlineLength, byte* cmdline, nuint flags);
}
