using System.Diagnostics;
using System.Runtime.InteropServices;
using Rekernel.Native;

namespace Rekernel.Tests.Kexec;

/// <summary>Every constant rekernel hard-codes is the system headers' value, on x86-64 and on arm64 (tools/consts-check).</summary>
public sealed class KexecConstantsTests
{
    [Fact]
    public void Constants_MatchTheBuildArchitecturesHeaders()
    {
        Dictionary<string, long> headers = HeaderValues();
        Dictionary<string, long> ours = CSharpValues(RuntimeInformation.ProcessArchitecture);
        Assert.Equal(headers.Keys.Order(), ours.Keys.Order());
        foreach ((string name, long value) in headers) Assert.True(ours[name] == value, $"{name}: C# has {ours[name]}, the headers {value}");
    }

    [Fact]
    public void Constants_MatchTheArm64CrossHeaders()
    {
        // The cross compiler's programs cannot run here, so expect.c asserts each value at compile time.
        string compiler = Rekernel.Processes.ProgramRunner.Locate("aarch64-linux-gnu-gcc")
            ?? throw new InvalidOperationException("aarch64-linux-gnu-gcc is missing; install gcc-aarch64-linux-gnu (make deps does).");
        string expected = Path.Join(Path.GetTempPath(), "rekernel-arm64-" + Guid.NewGuid().ToString("N") + ".h");
        try
        {
            File.WriteAllLines(expected, CSharpValues(Architecture.Arm64).Select(p => $"#define EXPECT_{p.Key} {p.Value}LL"));
            Run(compiler, ["-fsyntax-only", "-Wall", "-Werror", $"-DEXPECTED=\"{expected}\"", Path.Join(ConstsDirectory(), "expect.c")]);
        }
        finally
        {
            File.Delete(expected);
        }
    }

    [Fact]
    public void Arm64_ODirectory_IsX86sODirect()
    {
        // The trap the per-architecture values exist for: 0x4000 opens a directory on arm64 and means O_DIRECT on x86-64.
        Assert.Equal(0x4000, OpenFlags.O_DIRECTORY_arm64);
        Assert.Equal(0x10000, OpenFlags.O_DIRECTORY_x64);
    }

    /// <summary>The C# constants by the names constants.h gives them, with <paramref name="arch"/>'s per-architecture values.</summary>
    private static Dictionary<string, long> CSharpValues(Architecture arch)
    {
        bool arm = arch == Architecture.Arm64;
        return new()
        {
            ["SYS_kexec_file_load"] = arm ? KexecSyscalls.SYS_kexec_file_load_arm64 : KexecSyscalls.SYS_kexec_file_load_x64,
            ["SYS_kexec_load"] = arm ? KexecSyscalls.SYS_kexec_load_arm64 : KexecSyscalls.SYS_kexec_load_x64,
            ["SYS_reboot"] = arm ? RebootSyscalls.SYS_reboot_arm64 : RebootSyscalls.SYS_reboot_x64,
            ["KEXEC_FILE_UNLOAD"] = (long)KexecSyscalls.KEXEC_FILE_UNLOAD,
            ["KEXEC_FILE_ON_CRASH"] = (long)KexecSyscalls.KEXEC_FILE_ON_CRASH,
            ["KEXEC_FILE_NO_INITRAMFS"] = (long)KexecSyscalls.KEXEC_FILE_NO_INITRAMFS,
            ["LINUX_REBOOT_MAGIC1"] = RebootSyscalls.LINUX_REBOOT_MAGIC1,
            ["LINUX_REBOOT_MAGIC2"] = RebootSyscalls.LINUX_REBOOT_MAGIC2,
            ["LINUX_REBOOT_CMD_KEXEC"] = RebootSyscalls.LINUX_REBOOT_CMD_KEXEC,
            ["MFD_CLOEXEC"] = MemfdSyscalls.MFD_CLOEXEC,
            ["O_RDONLY"] = OpenFlags.O_RDONLY,
            ["O_RDWR"] = OpenFlags.O_RDWR,
            ["O_CREAT"] = OpenFlags.O_CREAT,
            ["O_DIRECTORY"] = arm ? OpenFlags.O_DIRECTORY_arm64 : OpenFlags.O_DIRECTORY_x64,
            ["O_NOFOLLOW"] = arm ? OpenFlags.O_NOFOLLOW_arm64 : OpenFlags.O_NOFOLLOW_x64,
            ["O_NONBLOCK"] = OpenFlags.O_NONBLOCK,
            ["O_CLOEXEC"] = OpenFlags.O_CLOEXEC,
            ["AT_FDCWD"] = FileSyscalls.AT_FDCWD,
            ["AT_EMPTY_PATH"] = FileSyscalls.AT_EMPTY_PATH,
            ["AT_SYMLINK_NOFOLLOW"] = FileSyscalls.AT_SYMLINK_NOFOLLOW,
            ["STATX_BASIC_STATS"] = FileSyscalls.STATX_BASIC_STATS,
            ["LOCK_EX"] = FlockSyscalls.LOCK_EX,
            ["LOCK_NB"] = FlockSyscalls.LOCK_NB,
            ["statx_size"] = FileSyscalls.StatxSize,
            ["statx_stx_uid"] = FileSyscalls.StatxUidOffset,
            ["statx_stx_mode"] = FileSyscalls.StatxModeOffset,
            ["statx_stx_ino"] = FileSyscalls.StatxInodeOffset,
            ["statx_stx_size"] = FileSyscalls.StatxSizeOffset,
            ["statx_stx_mtime"] = FileSyscalls.StatxMtimeOffset,
            ["statx_stx_dev_major"] = FileSyscalls.StatxDevMajorOffset,
            ["statx_stx_dev_minor"] = FileSyscalls.StatxDevMinorOffset,
            ["EPERM"] = Errno.EPERM, ["ENOENT"] = Errno.ENOENT, ["EINTR"] = Errno.EINTR, ["EIO"] = Errno.EIO,
            ["ENOEXEC"] = Errno.ENOEXEC, ["EBADF"] = Errno.EBADF, ["EAGAIN"] = Errno.EAGAIN, ["ENOMEM"] = Errno.ENOMEM,
            ["EACCES"] = Errno.EACCES, ["EBUSY"] = Errno.EBUSY, ["EINVAL"] = Errno.EINVAL, ["EFBIG"] = Errno.EFBIG,
            ["ENOSPC"] = Errno.ENOSPC, ["EROFS"] = Errno.EROFS, ["ENOSYS"] = Errno.ENOSYS, ["ENODATA"] = Errno.ENODATA,
            ["EBADMSG"] = Errno.EBADMSG, ["EMSGSIZE"] = Errno.EMSGSIZE, ["ENOKEY"] = Errno.ENOKEY,
            ["EKEYEXPIRED"] = Errno.EKEYEXPIRED, ["EKEYREVOKED"] = Errno.EKEYREVOKED, ["EKEYREJECTED"] = Errno.EKEYREJECTED,
            ["FS_IOC_GETFLAGS"] = FileFlagSyscalls.FS_IOC_GETFLAGS, ["FS_IOC_SETFLAGS"] = FileFlagSyscalls.FS_IOC_SETFLAGS,
            ["FS_IMMUTABLE_FL"] = FileFlagSyscalls.FS_IMMUTABLE_FL,
            ["dirent_d_type"] = DirectorySyscalls.DirentTypeOffset, ["dirent_d_name"] = DirectorySyscalls.DirentNameOffset,
            ["DT_UNKNOWN"] = DirectorySyscalls.DT_UNKNOWN, ["DT_DIR"] = DirectorySyscalls.DT_DIR,
            ["DT_REG"] = DirectorySyscalls.DT_REG, ["DT_LNK"] = DirectorySyscalls.DT_LNK,
            ["DT_REG_IFMT"] = DirectorySyscalls.DT_REG << 12,
        };
    }

    private static Dictionary<string, long> HeaderValues()
    {
        string binary = Path.Join(Path.GetTempPath(), "rekernel-consts-" + Guid.NewGuid().ToString("N"));
        try
        {
            Run("gcc", ["-Wall", "-Werror", "-o", binary, Path.Join(ConstsDirectory(), "consts.c")]);
            return Run(binary, []).Split('\n', StringSplitOptions.RemoveEmptyEntries)
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

    private static string ConstsDirectory()
    {
        for (string? dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Join(dir, "rekernel.slnx"))) return Path.Join(dir, "tools", "consts-check");
        }
        throw new InvalidOperationException("rekernel.slnx not found above the test binaries");
    }
}
