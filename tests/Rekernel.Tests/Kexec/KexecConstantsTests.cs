using System.Diagnostics;
using System.Runtime.InteropServices;
using Rekernel.Kexec;

namespace Rekernel.Tests.Kexec;

public sealed class KexecConstantsTests
{
    [Fact]
    public void Constants_MatchTheSystemHeaders()
    {
        Dictionary<string, long> c = HeaderValues();
        Assert.Equal(KexecSyscalls.SYS_kexec_file_load, c["SYS_kexec_file_load"]);
        Assert.Equal(RebootSyscalls.SYS_reboot, c["SYS_reboot"]);
        Assert.Equal((long)KexecSyscalls.KEXEC_FILE_UNLOAD, c["KEXEC_FILE_UNLOAD"]);
        Assert.Equal((long)KexecSyscalls.KEXEC_FILE_ON_CRASH, c["KEXEC_FILE_ON_CRASH"]);
        Assert.Equal((long)KexecSyscalls.KEXEC_FILE_NO_INITRAMFS, c["KEXEC_FILE_NO_INITRAMFS"]);
        Assert.Equal(RebootSyscalls.LINUX_REBOOT_MAGIC1, c["LINUX_REBOOT_MAGIC1"]);
        Assert.Equal(RebootSyscalls.LINUX_REBOOT_MAGIC2, c["LINUX_REBOOT_MAGIC2"]);
        Assert.Equal(RebootSyscalls.LINUX_REBOOT_CMD_KEXEC, c["LINUX_REBOOT_CMD_KEXEC"]);
        Assert.Equal(MemfdSyscalls.MFD_CLOEXEC, c["MFD_CLOEXEC"]);
        Assert.Equal(FileSyscalls.O_NOFOLLOW, c["O_NOFOLLOW"]);
        Assert.Equal(FileSyscalls.O_CLOEXEC, c["O_CLOEXEC"]);
        Assert.Equal(FileSyscalls.O_NONBLOCK, c["O_NONBLOCK"]);
        Assert.Equal(FileSyscalls.AT_FDCWD, c["AT_FDCWD"]);
        Assert.Equal(FileSyscalls.AT_EMPTY_PATH, c["AT_EMPTY_PATH"]);
        Assert.Equal(FileSyscalls.AT_SYMLINK_NOFOLLOW, c["AT_SYMLINK_NOFOLLOW"]);
        Assert.Equal(FileSyscalls.STATX_BASIC_STATS, c["STATX_BASIC_STATS"]);
        Assert.Equal(FileSyscalls.StatxSize, c["statx.size"]);
        Assert.Equal(FileSyscalls.StatxUidOffset, c["statx.stx_uid"]);
        Assert.Equal(FileSyscalls.StatxModeOffset, c["statx.stx_mode"]);
        Assert.Equal(FileSyscalls.StatxSizeOffset, c["statx.stx_size"]);
        Assert.Equal(FileSyscalls.StatxMtimeOffset, c["statx.stx_mtime"]);
    }

    [Fact]
    public void Constants_BothArchitecturesHaveSyscallNumbers()
    {
        // Only the build architecture's headers are installed; the other numbers come from the kernel's tables.
        Assert.Equal(320, KexecSyscalls.SYS_kexec_file_load_x64);
        Assert.Equal(294, KexecSyscalls.SYS_kexec_file_load_arm64);
        Assert.Equal(142, RebootSyscalls.SYS_reboot_arm64);
        Assert.Equal(RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 320 : 294, KexecSyscalls.SYS_kexec_file_load);
    }

    private static Dictionary<string, long> HeaderValues()
    {
        string source = Path.Join(RepoRoot(), "tools", "consts-check", "consts.c");
        string binary = Path.Join(Path.GetTempPath(), "rekernel-consts-" + Guid.NewGuid().ToString("N"));
        try
        {
            Run("gcc", ["-Wall", "-Werror", "-o", binary, source]);
            string output = Run(binary, []);
            return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(l => l.Split('='))
                .ToDictionary(p => p[0], p => long.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture));
        }
        finally
        {
            File.Delete(binary);
        }
    }

    private static string Run(string file, string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args) start.ArgumentList.Add(a);
        using Process p = Process.Start(start)!;
        string output = p.StandardOutput.ReadToEnd();
        string error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{file} failed: {error}");
        return output;
    }

    private static string RepoRoot()
    {
        for (string? dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Join(dir, "rekernel.slnx"))) return dir;
        }
        throw new InvalidOperationException("rekernel.slnx not found above the test binaries");
    }
}
