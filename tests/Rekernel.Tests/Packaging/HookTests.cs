namespace Rekernel.Tests.Packaging;

/// <summary>The kernel-install plugin and the Debian kernel hooks, run as the package managers run them.</summary>
public sealed class HookTests
{
    private const string KernelInstall = "kernel-install/90-rekernel.install";
    private const string DebianPostinst = "debian/postinst.d/zzz-rekernel";
    private const string DebianPostrm = "debian/postrm.d/zzz-rekernel";
    private const string Version = "6.1.0-53-amd64";

    [Fact]
    public void KernelInstallAdd_WithAutoStage_StagesTheNewVersionQuietly()
    {
        using var sandbox = new HookSandbox("# settings\nauto_stage = yes\n");
        (int exit, string err) = sandbox.Run(KernelInstall, "add", Version, "/boot/efi/abc/" + Version, "/boot/vmlinuz-" + Version, "/boot/initrd.img-" + Version);
        Assert.Equal(0, exit);
        Assert.Equal([$"load --quiet {Version}"], sandbox.Calls);
        Assert.Contains($"staged {Version}", err);
    }

    [Theory]
    [InlineData("auto_stage = no\n")]
    [InlineData("# auto_stage = yes\n")]
    [InlineData("")]
    public void KernelInstallAdd_WithoutAutoStage_LeavesRekernelAlone(string config)
    {
        using var sandbox = new HookSandbox(config);
        (int exit, _) = sandbox.Run(KernelInstall, "add", Version, "/boot/efi/abc/" + Version, "/boot/vmlinuz-" + Version);
        Assert.Equal(0, exit);
        Assert.Empty(sandbox.Calls);
    }

    [Fact]
    public void KernelInstallAdd_WhenRekernelFails_StillExitsZeroAndSaysWhy()
    {
        using var sandbox = new HookSandbox("auto_stage = yes\n", rekernelExit: 4);
        (int exit, string err) = sandbox.Run(KernelInstall, "add", Version, "/boot/efi/abc/" + Version, "/boot/vmlinuz-" + Version);
        Assert.Equal(0, exit);
        Assert.Single(sandbox.Calls);
        Assert.Contains($"could not stage {Version} (exit 4", err);
    }

    [Fact]
    public void KernelInstallRemove_OfTheStagedVersion_Unloads()
    {
        using var sandbox = new HookSandbox("auto_stage = no\n");
        sandbox.Staged(Version);
        (int exit, _) = sandbox.Run(KernelInstall, "remove", Version, "/boot/efi/abc/" + Version);
        Assert.Equal(0, exit);
        Assert.Equal(["unload --quiet"], sandbox.Calls);
    }

    [Fact]
    public void KernelInstallRemove_OfAnotherVersion_LeavesTheStagedKernel()
    {
        using var sandbox = new HookSandbox("auto_stage = yes\n");
        sandbox.Staged("6.1.0-54-amd64");
        (int exit, _) = sandbox.Run(KernelInstall, "remove", Version, "/boot/efi/abc/" + Version);
        Assert.Equal(0, exit);
        Assert.Empty(sandbox.Calls);
    }

    [Fact]
    public void KernelInstallRemove_WhenUnloadFails_StillExitsZero()
    {
        using var sandbox = new HookSandbox("", rekernelExit: 6);
        sandbox.Staged(Version);
        (int exit, string err) = sandbox.Run(KernelInstall, "remove", Version, "/boot/efi/abc/" + Version);
        Assert.Equal(0, exit);
        Assert.Contains("could not unload", err);
    }

    [Fact]
    public void DebianPostinst_WithAutoStage_StagesTheInstalledVersion()
    {
        using var sandbox = new HookSandbox("auto_stage = yes\n");
        (int exit, _) = sandbox.Run(DebianPostinst, Version, "/boot/vmlinuz-" + Version);
        Assert.Equal(0, exit);
        Assert.Equal([$"load --quiet {Version}"], sandbox.Calls);
    }

    [Fact]
    public void DebianPostinst_WithoutAutoStage_DoesNothing()
    {
        using var sandbox = new HookSandbox("auto_stage = no\n");
        (int exit, _) = sandbox.Run(DebianPostinst, Version, "/boot/vmlinuz-" + Version);
        Assert.Equal(0, exit);
        Assert.Empty(sandbox.Calls);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(127)]
    public void DebianPostinst_WhenRekernelFails_NeverFailsThePackageInstallation(int rekernelExit)
    {
        using var sandbox = new HookSandbox("auto_stage = yes\n", rekernelExit);
        (int exit, string err) = sandbox.Run(DebianPostinst, Version, "/boot/vmlinuz-" + Version);
        Assert.Equal(0, exit);
        Assert.Contains($"could not stage {Version} (exit {rekernelExit}", err);
    }

    [Fact]
    public void DebianPostrm_OfTheStagedVersion_Unloads_AndOfAnotherDoesNothing()
    {
        using var sandbox = new HookSandbox("", rekernelExit: 1);
        sandbox.Staged(Version);
        Assert.Equal(0, sandbox.Run(DebianPostrm, "6.1.0-40-amd64", "/boot/vmlinuz-6.1.0-40-amd64").Exit);
        Assert.Empty(sandbox.Calls);
        Assert.Equal(0, sandbox.Run(DebianPostrm, Version, "/boot/vmlinuz-" + Version).Exit);
        Assert.Equal(["unload --quiet"], sandbox.Calls);
    }
}
