using System.Runtime.InteropServices;

namespace Rekernel.Native;

/// <summary><c>sync(2)</c> and <c>reboot(2)</c> with <c>LINUX_REBOOT_CMD_KEXEC</c>.</summary>
internal static partial class RebootSyscalls
{
    public const uint LINUX_REBOOT_MAGIC1 = 0xfee1dead;
    public const uint LINUX_REBOOT_MAGIC2 = 672274793;
    public const uint LINUX_REBOOT_CMD_KEXEC = 0x45584543;

    public const int SYS_reboot_x64 = 169;
    public const int SYS_reboot_arm64 = 142;

    public static int SYS_reboot => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => SYS_reboot_x64,
        Architecture.Arm64 => SYS_reboot_arm64,
        _ => -1,
    };

    /// <summary>Jumps into the staged kernel; returns the errno only when the kernel refuses.</summary>
    public static int RebootKexec()
    {
        if (SYS_reboot < 0) return Errno.ENOSYS;
        nint rc = Syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_KEXEC, 0);
        return rc == -1 ? Marshal.GetLastPInvokeError() : 0;
    }

    [LibraryImport("libc", EntryPoint = "sync")]
    public static partial void Sync();

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial nint Syscall(nint number, nuint magic1, nuint magic2, nuint command, nint arg);
}
