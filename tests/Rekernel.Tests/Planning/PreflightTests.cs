using Rekernel.Tests.Images;
using Rekernel.Discovery;
using Rekernel.Planning;
using Rekernel.Machine;
using System.Runtime.InteropServices;

namespace Rekernel.Tests.Planning;

public sealed class PreflightTests
{
    // No test depends on the host's kexec-tools: the program is a file in the tree, or a path that does not exist.
    private const string NoKexecTools = "/nonexistent/sbin/kexec";

    private static IReadOnlyList<string> Check(TempBootTree tree, BootEntry entry, uint uid = 0, bool staging = true, Architecture? machine = null, string kexecTools = NoKexecTools)
    {
        using OpenedImages images = OpenedImages.Open(tree.Root, entry);
        var running = new RunningSystem(tree.HostPath);
        StagingMethod method = StagingMethod.Choose(running.KernelConfig, requested: false, kexecTools, hasFileLoad: () => true);
        return [.. new Preflight(running, uid, machine).Check(entry, images, staging, method).Select(Rekernel.Cli.FlagAdvice.Sentence)];
    }

    private static string Refusal(TempBootTree tree, BootEntry entry, uint uid = 0, bool staging = true, Architecture? machine = null, string kexecTools = NoKexecTools)
    {
        var ex = Assert.Throws<RekernelException>(() => Check(tree, entry, uid, staging, machine, kexecTools));
        Assert.Equal(ExitCode.Refused, ex.ExitCode);
        return Rekernel.Cli.FlagAdvice.Sentence(ex.Finding);
    }

    [Fact]
    public void Debian_HealthyMachine_PassesWithoutWarnings()
    {
        using TempBootTree tree = DebianTree.Create();
        Assert.Empty(Check(tree, DebianTree.Entry("/boot/intel-ucode.img", $"/boot/initrd.img-{DebianTree.Version}")));
    }

    [Fact]
    public void NotRoot_IsRefused()
    {
        using TempBootTree tree = DebianTree.Create();
        Assert.Contains("run rekernel as root", Refusal(tree, DebianTree.Entry(), uid: 1000));
    }

    [Fact]
    public void NotRoot_DryRun_Passes()
    {
        using TempBootTree tree = DebianTree.Create();
        Assert.Empty(Check(tree, DebianTree.Entry(), uid: 1000, staging: false));
    }

    [Fact]
    public void KexecLoadDisabled_IsRefusedUntilReboot()
    {
        using TempBootTree tree = DebianTree.Create();
        tree.Text("/proc/sys/kernel/kexec_load_disabled", "1\n");
        Assert.Equal("kexec is disabled: kernel.kexec_load_disabled=1 is set; it can only be cleared by a reboot.", Refusal(tree, DebianTree.Entry()));
    }

    [Fact]
    public void DebianArm64Config_OnlyKexecLoad_StagesThroughInstalledKexecTools()
    {
        using TempBootTree tree = DebianTree.Create();
        tree.Text("/boot/config-6.1.0-47-amd64", "CONFIG_KEXEC=y\n# CONFIG_KEXEC_FILE is not set\n").Text("/usr/sbin/kexec", "#!/bin/sh\n");
        Assert.Empty(Check(tree, DebianTree.Entry(), kexecTools: tree.Host("/usr/sbin/kexec")));
    }

    [Fact]
    public void OnlyKexecLoad_WithoutKexecTools_IsRefusedNamingThePackage()
    {
        using TempBootTree tree = DebianTree.Create();
        tree.Text("/boot/config-6.1.0-47-amd64", "CONFIG_KEXEC=y\n# CONFIG_KEXEC_FILE is not set\n");
        Assert.Equal(
            "the running kernel has only the old kexec_load system call, which needs kexec-tools' kexec program, and it is not installed; install the kexec-tools package (apt install kexec-tools on Debian and Ubuntu, dnf install kexec-tools on RHEL and Fedora).",
            Refusal(tree, DebianTree.Entry()));
    }

    [Fact]
    public void OnlyKexecLoad_UnderLockdown_IsRefusedBecauseLockdownForbidsIt()
    {
        using TempBootTree tree = DebianTree.Create();
        tree.Text("/boot/config-6.1.0-47-amd64", "CONFIG_KEXEC=y\n# CONFIG_KEXEC_FILE is not set\n").Text("/usr/sbin/kexec", "#!/bin/sh\n")
            .Text("/sys/kernel/security/lockdown", "none [integrity] confidentiality\n");
        Assert.Equal(
            "kernel lockdown (integrity) refuses the old kexec_load system call outright, and the running kernel has no kexec_file_load system call, so it cannot kexec into any kernel; reboot normally.",
            Refusal(tree, DebianTree.Entry(), kexecTools: tree.Host("/usr/sbin/kexec")));
    }

    [Fact]
    public void KernelWithoutAnyKexec_IsRefused()
    {
        using TempBootTree tree = DebianTree.Create();
        tree.Text("/boot/config-6.1.0-47-amd64", "# CONFIG_KEXEC is not set\n");
        Assert.Contains("without kexec support", Refusal(tree, DebianTree.Entry()));
    }

    [Fact]
    public void ConfigGz_IsReadWhenBootConfigIsMissing()
    {
        using TempBootTree tree = DebianTree.Create();
        File.Delete(tree.Host("/boot/config-6.1.0-47-amd64"));
        using var buffer = new MemoryStream();
        using (var gz = new System.IO.Compression.GZipStream(buffer, System.IO.Compression.CompressionMode.Compress, leaveOpen: true))
            gz.Write("# CONFIG_KEXEC_FILE is not set\n"u8);
        tree.Bytes("/proc/config.gz", buffer.ToArray());
        Assert.Contains("/proc/config.gz", Refusal(tree, DebianTree.Entry()));
    }

    [Fact]
    public void Lockdown_IsAWarningNotARefusal()
    {
        using TempBootTree tree = DebianTree.Create();
        tree.Text("/sys/kernel/security/lockdown", "none [integrity] confidentiality\n");
        Assert.Contains("kernel lockdown is on", Assert.Single(Check(tree, DebianTree.Entry())));
    }

    [Fact]
    public void InitrdOfAnotherKernel_IsRefused() 
    {
        using TempBootTree tree = DebianTree.Create();
        string m = Refusal(tree, DebianTree.Entry("/boot/initrd.img-6.1.0-47-amd64"));
        Assert.Contains("built for kernel 6.1.0-47-amd64, not 6.1.0-53-amd64", m);
    }

    [Fact]
    public void Fedora_InitramfsWithVersion_Matches()
    {
        using TempBootTree tree = DebianTree.Create();
        tree.Bytes("/boot/vmlinuz-6.5.6-300.fc39.x86_64", FakeKernel.Image(FakeKernel.Banner("6.5.6-300.fc39.x86_64"))).Text("/boot/initramfs-6.5.6-300.fc39.x86_64.img", "I");
        var entry = new BootEntry { Id = "f", Title = "Fedora", Kernel = "/boot/vmlinuz-6.5.6-300.fc39.x86_64", Initrds = ["/boot/initramfs-6.5.6-300.fc39.x86_64.img"], Source = BootEntrySource.Bls };
        Assert.Empty(Check(tree, entry));
    }

    [Fact]
    public void TruncatedKernel_IsRefusedBeforeTheJump()
    {
        using TempBootTree tree = DebianTree.Create();
        byte[] whole = FakeKernel.Image(FakeKernel.Banner(DebianTree.Version));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(whole.AsSpan(0x1F4), 0x10000); // syssize: 1 MiB of kernel
        tree.Bytes($"/boot/vmlinuz-{DebianTree.Version}", whole);
        Assert.Contains("cannot be staged: the image is truncated", Refusal(tree, DebianTree.Entry()));
    }

    [Fact]
    public void Arm64ImageOnX86Machine_IsRefusedNamingBothArchitectures()
    {
        using TempBootTree tree = DebianTree.Create();
        tree.Bytes($"/boot/vmlinuz-{DebianTree.Version}", FakeArm64Kernel.Image(DebianTree.Version));
        Assert.Equal($"/boot/vmlinuz-{DebianTree.Version} is an arm64 kernel but this machine is x86-64; install the kernel package built for amd64 (x86-64) and retry.",
            Refusal(tree, DebianTree.Entry(), machine: Architecture.X64));
    }

    [Fact]
    public void BzImageOnArm64Machine_IsRefusedNamingBothArchitectures()
    {
        using TempBootTree tree = DebianTree.Create();
        Assert.Equal($"/boot/vmlinuz-{DebianTree.Version} is an x86 kernel (bzImage) but this machine is arm64; install the kernel package built for arm64 and retry.",
            Refusal(tree, DebianTree.Entry(), machine: Architecture.Arm64));
    }

    [Fact]
    public void Arm64ImageOnArm64Machine_Passes()
    {
        using TempBootTree tree = DebianTree.Create();
        tree.Bytes($"/boot/vmlinuz-{DebianTree.Version}", FakeArm64Kernel.Image(DebianTree.Version));
        Assert.Empty(Check(tree, DebianTree.Entry(), machine: Architecture.Arm64));
    }

    // Debian's real Image cut to 1,000,000 bytes, as a full disk leaves it: its EFI stub's .data section ends at
    // 27234816 (aarch64-linux-gnu-objdump -h: 005b9200 bytes at file offset 01440000).
    [Fact]
    public void TruncatedRealArm64Image_OnArm64Machine_IsRefused()
    {
        using TempBootTree tree = DebianTree.Create();
        tree.Bytes($"/boot/vmlinuz-{DebianTree.Version}", File.ReadAllBytes(LabKernel.Arm64Vmlinuz)[..1000000]);
        Assert.Equal($"/boot/vmlinuz-{DebianTree.Version} cannot be staged: the image is truncated (1000000 bytes, but its header says the kernel needs 27234816); reinstall the kernel package that owns it.",
            Refusal(tree, DebianTree.Entry(), machine: Architecture.Arm64));
    }

    [Fact]
    public void BigEndianArm64Image_OnArm64Machine_IsRefused()
    {
        using TempBootTree tree = DebianTree.Create();
        tree.Bytes($"/boot/vmlinuz-{DebianTree.Version}", FakeArm64Kernel.Image(DebianTree.Version, flags: 0x0B));
        Assert.Contains("cannot be staged: kexec_file_load cannot load it: a big-endian kernel", Refusal(tree, DebianTree.Entry(), machine: Architecture.Arm64));
    }

    [Fact]
    public void TextFileInPlaceOfTheKernel_OnArm64Machine_IsRefused()
    {
        using TempBootTree tree = DebianTree.Create();
        tree.Text($"/boot/vmlinuz-{DebianTree.Version}", "not a kernel at all");
        Assert.Contains("not an arm64 kernel Image", Refusal(tree, DebianTree.Entry(), machine: Architecture.Arm64));
    }

    [Fact]
    public void TextFileInPlaceOfTheKernel_IsRefused()
    {
        using TempBootTree tree = DebianTree.Create();
        tree.Text($"/boot/vmlinuz-{DebianTree.Version}", "not a kernel at all");
        Assert.Contains("not a Linux kernel image", Refusal(tree, DebianTree.Entry()));
    }

    [Fact]
    public void PlainBoot_KernelWithoutInitrd_IsRefusedNamingTheCommandThatBuildsIt()
    {
        using TempBootTree tree = DebianTree.Create();
        BootEntry loose = DebianTree.Entry() with { Source = BootEntrySource.BootDir, Initrds = [] };
        Assert.Contains("update-initramfs -c -k 6.1.0-53-amd64", Refusal(tree, loose));
    }

    [Fact]
    public void NotEnoughMemory_IsRefused()
    {
        using TempBootTree tree = DebianTree.Create();
        tree.Text("/proc/meminfo", "MemTotal: 100000 kB\nMemAvailable:    20000 kB\n");
        Assert.Contains("only 19 MiB of memory is available", Refusal(tree, DebianTree.Entry()));
    }

    [Fact]
    public void Readiness_ReportsEveryCheckByName()
    {
        using TempBootTree tree = DebianTree.Create();
        tree.Text("/sys/kernel/security/lockdown", "none [integrity] confidentiality\n")
            .Bytes(RunningSystem.SecureBootVariable, [6, 0, 0, 0, 0]);
        var running = new RunningSystem(tree.HostPath);
        IReadOnlyList<ReadinessCheck> checks = Readiness.Evaluate(running, 1000, StagingMethod.Choose(running.KernelConfig, requested: false, NoKexecTools, hasFileLoad: () => true));
        Assert.Equal(["kexec-support", "loader", "kexec-load-disabled", "lockdown", "secure-boot", "tpm2-unlock", "root"], checks.Select(c => c.Name));
        Assert.Equal([true, true, true, false, true, true, false], checks.Select(c => c.Ok));
        Assert.Equal("kexec_file_load: the running kernel has the kexec_file_load system call (CONFIG_KEXEC_FILE=y in /boot/config-6.1.0-47-amd64).", checks[1].Detail.Text);
        Assert.Equal("disabled", checks[4].Detail.Text);
    }
}
