using Rekernel.Machine;
using Rekernel.Planning;
using Rekernel.Tests.Images;

namespace Rekernel.Tests.Planning;

public sealed class StagingMethodTests
{
    /// <summary>The running machine with the real config of a lab kernel as its /boot/config-RELEASE.</summary>
    private static KernelConfig RealConfig(TempBootTree tree, string release)
    {
        tree.Text("/proc/sys/kernel/osrelease", release + "\n")
            .Bytes($"/boot/config-{release}", File.ReadAllBytes(Path.Combine(LabKernel.Cache, "kernels", release, "boot", $"config-{release}")));
        return new RunningSystem(tree.HostPath).KernelConfig;
    }

    /// <summary>The probe for kexec_file_load, which a machine with a config is never asked.</summary>
    private static bool NotAsked() => throw new InvalidOperationException("the kexec_file_load probe was asked although the config says");

    [Fact]
    public void DebianArm64Kernel_HasOnlyKexecLoad_StagesThroughKexecToolsMinusC()
    {
        using var tree = new TempBootTree();
        tree.Text("/usr/sbin/kexec", "#!/bin/sh\n");
        StagingMethod method = StagingMethod.Choose(RealConfig(tree, LabKernel.Arm64Release), requested: false, tree.Host("/usr/sbin/kexec"), NotAsked);

        Assert.True(method.ViaKexecTools);
        Assert.True(method.LegacySyscall);
        Assert.Equal("kexec-tools", method.Loader);
        Assert.Equal(tree.Host("/usr/sbin/kexec"), method.Program);
        Assert.Equal(
            "the running kernel has only the old kexec_load system call (CONFIG_KEXEC_FILE is not set in /boot/config-6.1.0-53-cloud-arm64), so kexec-tools loads the kernel with kexec -c, building the device tree and purgatory in user space.",
            method.Reason);
    }

    [Fact]
    public void DebianAmd64Kernel_HasKexecFileLoad_StagesWithTheSystemCall()
    {
        using var tree = new TempBootTree();
        StagingMethod method = StagingMethod.Choose(RealConfig(tree, LabKernel.Release), requested: false, "/nonexistent/kexec", NotAsked);

        Assert.False(method.ViaKexecTools);
        Assert.Equal("kexec_file_load", method.Loader);
        Assert.Equal("the running kernel has the kexec_file_load system call (CONFIG_KEXEC_FILE=y in /boot/config-6.1.0-53-cloud-amd64).", method.Reason);
    }

    [Fact]
    public void KexecToolsAskedFor_WithKexecFileLoad_UsesMinusS()
    {
        using var tree = new TempBootTree();
        StagingMethod method = StagingMethod.Choose(RealConfig(tree, LabKernel.Release), requested: true, "/nonexistent/kexec", NotAsked);

        Assert.True(method.ViaKexecTools);
        Assert.False(method.LegacySyscall);
        Assert.Null(method.Program);
        Assert.Equal("kexec-tools was asked for; it loads the kernel with kexec -s, through the kexec_file_load system call.", method.Reason);
    }

    [Fact]
    public void NoKernelConfig_KernelAnswersKexecFileLoad_UsesTheSystemCall()
    {
        using var tree = new TempBootTree();
        StagingMethod method = StagingMethod.Choose(new RunningSystem(tree.HostPath, "6.1.0").KernelConfig, requested: false, "/nonexistent/kexec", () => true);

        Assert.False(method.ViaKexecTools);
        Assert.Equal("no config of the running kernel was found, but it has the kexec_file_load system call (it did not answer ENOSYS).", method.Reason);
    }

    [Fact]
    public void NoKernelConfig_NoKexecFileLoad_FallsBackToKexecToolsMinusC()
    {
        using var tree = new TempBootTree();
        tree.Text("/usr/sbin/kexec", "#!/bin/sh\n");
        StagingMethod method = StagingMethod.Choose(new RunningSystem(tree.HostPath, "6.1.0").KernelConfig, requested: false, tree.Host("/usr/sbin/kexec"), () => false);

        Assert.True(method.ViaKexecTools);
        Assert.True(method.LegacySyscall);
        Assert.Equal(tree.Host("/usr/sbin/kexec"), method.Program);
        Assert.Equal(
            "no config of the running kernel was found, and it has no kexec_file_load system call (ENOSYS), so kexec-tools loads the kernel with kexec -c, building the device tree and purgatory in user space.",
            method.Reason);
    }
}
