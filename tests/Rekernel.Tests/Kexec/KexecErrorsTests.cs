using Rekernel.Cli;
using Rekernel.Kexec;
using Rekernel.Tests.Planning;
using Rekernel.Machine;
using Rekernel.Native;

namespace Rekernel.Tests.Kexec;

public sealed class KexecErrorsTests
{
    private static readonly KexecFacts Plain = new(IsRoot: true, LoadDisabled: false, Lockdown: LockdownMode.None, SecureBoot: false);

    private static string Load(int errno, KexecFacts? facts = null) => FlagAdvice.Sentence(KexecErrors.Describe(errno, KexecOperation.Load, facts ?? Plain));

    [Fact]
    public void Eperm_NotRoot_SaysRunAsRoot() =>
        Assert.Contains("run rekernel as root", Load(Errno.EPERM, Plain with { IsRoot = false }));

    [Fact]
    public void Eperm_LoadDisabled_SaysOnlyARebootClearsIt()
    {
        string m = Load(Errno.EPERM, Plain with { LoadDisabled = true });
        Assert.Contains("kernel.kexec_load_disabled=1", m);
        Assert.Contains("can only be cleared by a reboot", m);
    }

    [Fact]
    public void Eperm_LockdownWithoutSecureBoot_ExplainsKeyringsAndDistroKernels()
    {
        string m = Load(Errno.EPERM, Plain with { Lockdown = LockdownMode.Integrity });
        Assert.Contains("lockdown (integrity)", m);
        Assert.Contains("built-in, secondary or platform keyring", m);
        Assert.Contains("UEFI Secure Boot db or shim's MOK list", m);
        Assert.Contains("without Secure Boot even distribution-signed kernels are refused", m);
    }

    [Fact]
    public void Eperm_LockdownWithSecureBoot_SaysToEnrollTheKey() =>
        Assert.Contains("enrolled in db or the MOK list", Load(Errno.EPERM, Plain with { Lockdown = LockdownMode.Confidentiality, SecureBoot = true }));

    [Fact]
    public void Eperm_NoKnownCause_PointsToDmesg() => Assert.Contains("see dmesg", Load(Errno.EPERM));

    [Theory]
    [InlineData(129, "EKEYREJECTED")]
    [InlineData(74, "EBADMSG")]
    [InlineData(126, "ENOKEY")]
    [InlineData(61, "ENODATA")]
    [InlineData(90, "EMSGSIZE")]
    public void SignatureErrors_ExplainTheSignatureCheck(int errno, string name)
    {
        string m = Load(errno);
        Assert.Contains("signature check rejected the image", m);
        Assert.Contains(name, m);
    }

    [Fact]
    public void Enoexec_SaysWrongArchitectureOrFormat() => Assert.Contains("wrong architecture or format", Load(Errno.ENOEXEC));

    [Fact]
    public void Ebusy_SaysAnotherKexecOrCrashKernel() => Assert.Contains("crash kernel is in use", Load(Errno.EBUSY));

    [Fact]
    public void Enosys_OffersKexecTools()
    {
        string m = Load(Errno.ENOSYS);
        Assert.Equal("staging the kernel (kexec_file_load) failed (ENOSYS): the running kernel was built without CONFIG_KEXEC_FILE; retry with --use-kexec-tools to use the older kexec_load system call, or reboot normally.", m);
    }

    [Fact]
    public void Enosys_InTheLibrary_NamesNoCliFlag() =>
        Assert.Equal("staging the kernel (kexec_file_load) failed (ENOSYS): the running kernel was built without CONFIG_KEXEC_FILE; retry through kexec-tools to use the older kexec_load system call, or reboot normally.",
            KexecErrors.Describe(Errno.ENOSYS, KexecOperation.Load, Plain).Text);

    [Fact]
    public void Enosys_OnUnload_MeansNoKexecAtAll()
    {
        // Unload falls back to kexec_load's unload when kexec_file_load is missing, so ENOSYS means neither call exists.
        Assert.Equal(
            "unloading the staged kernel (kexec_file_load unload) failed (ENOSYS): the running kernel was built without kexec support, so nothing can be staged.",
            KexecErrors.Describe(Errno.ENOSYS, KexecOperation.Unload, Plain).Text);
    }

    [Fact]
    public void Einval_OnLoad_BlamesImageOrCmdline() => Assert.Contains("command line too long", Load(Errno.EINVAL));

    [Fact]
    public void Einval_OnReboot_SaysNothingIsStaged() =>
        Assert.Contains("no kernel is staged", KexecErrors.Describe(Errno.EINVAL, KexecOperation.Reboot, Plain).Text);

    [Fact]
    public void Enomem_SaysFreeMemory() => Assert.Contains("not enough contiguous memory", Load(Errno.ENOMEM));

    [Theory]
    [InlineData(Errno.ENOENT)]
    [InlineData(Errno.EBADF)]
    public void BadFile_SaysCheckTheFile(int errno) => Assert.Contains("not usable as opened", Load(errno));

    [Fact]
    public void UnknownErrno_NamesTheNumber() => Assert.Contains("errno 999", Load(999));

    [Fact]
    public void Unload_Eperm_NamesUnloading() =>
        Assert.StartsWith("unloading the staged kernel", KexecErrors.Describe(Errno.EPERM, KexecOperation.Unload, Plain with { IsRoot = false }).Text);

    [Fact]
    public void Exception_CarriesErrnoAndKexecFailedExitCode()
    {
        KexecException ex = KexecErrors.Exception(Errno.EBUSY, KexecOperation.Load, Plain);
        Assert.Equal(Errno.EBUSY, ex.Errno);
        Assert.Equal(ExitCode.KexecFailed, ex.ExitCode);
    }

    [Fact]
    public void Facts_AreReadFromProcAndSysInsideTheRoot()
    {
        using var tree = new TempBootTree();
        tree.Text("/proc/sys/kernel/kexec_load_disabled", "1\n")
            .Text(RunningSystem.LockdownFile, "none [integrity] confidentiality\n")
            .Bytes(RunningSystem.SecureBootVariable, [6, 0, 0, 0, 1]);
        KexecFacts facts = KexecFacts.Read(new RunningSystem(tree.HostPath), effectiveUid: 1000);
        Assert.Equal(new KexecFacts(false, true, LockdownMode.Integrity, true), facts);
    }

    [Fact]
    public void Facts_MissingFiles_AreUnknown() =>
        Assert.Equal(new KexecFacts(true, null, null, null), KexecFacts.Read(new RunningSystem("/nonexistent-rekernel-root"), 0));

    [Theory]
    [InlineData("[none] integrity confidentiality", LockdownMode.None)]
    [InlineData("none integrity [confidentiality]", LockdownMode.Confidentiality)]
    public void Lockdown_BracketedModeIsActive(string text, LockdownMode expected) => Assert.Equal(expected, KexecFacts.ParseLockdown(text));
}
