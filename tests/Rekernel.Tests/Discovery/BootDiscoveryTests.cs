using Rekernel.Discovery;

namespace Rekernel.Tests.Discovery;

/// <summary>The whole discovery on each distribution's fixture tree: what `rekernel list` and `status` show.</summary>
public sealed class BootDiscoveryTests
{
    private static BootInventory Discover(string fixture) => BootDiscovery.Discover(new BootRoot(Path.Combine(TestPaths.Fixtures, fixture)));

    [Fact]
    public void Debian12_GrubMkconfig_DefaultIsTheFirstEntry_Newest53()
    {
        BootInventory inv = Discover("debian12");
        Assert.Equal("grub", inv.Bootloader);
        Assert.Equal("6.1.0-53-amd64", inv.Default?.Version);
        Assert.Equal("Debian GNU/Linux", inv.Default?.Title);
        Assert.Equal("/boot/vmlinuz-6.1.0-53-amd64", inv.Default?.Kernel);
        Assert.Equal(["6.1.0-53-amd64", "6.1.0-53-amd64", "6.1.0-53-amd64", "6.1.0-47-amd64", "6.1.0-47-amd64"], inv.Entries.Select(e => e.Version));
        Assert.Empty(inv.Diagnostics);
    }

    [Fact]
    public void Debian12_SavedEntryBySubmenuPath_Selects47()
    {
        BootInventory inv = Discover("debian12-saved");
        Assert.Equal("6.1.0-47-amd64", inv.Default?.Version);
        Assert.Equal("6.1.0-53-amd64", inv.Newest?.Version);
    }

    [Fact]
    public void Centos7_SavedEntryByTitle_Selects514_ThoughNewer1160IsInstalled()
    {
        BootInventory inv = Discover("centos7");
        Assert.Equal("3.10.0-514.6.1.el7.x86_64", inv.Default?.Version);
        Assert.Equal("3.10.0-1160.el7.x86_64", inv.Newest?.Version);
        Assert.Equal("/boot/vmlinuz-3.10.0-514.6.1.el7.x86_64", inv.Default?.Kernel);
    }

    [Fact]
    public void Rhel8_Blscfg_SavedEntryNamesA348BlsId_KernelOptsExpandedFromGrubenv()
    {
        BootInventory inv = Discover("rhel8");
        Assert.Equal("grub", inv.Bootloader);
        Assert.Equal("4.18.0-348.el8.x86_64", inv.Default?.Version);
        Assert.Equal(BootEntrySource.Bls, inv.Default?.Source);
        Assert.StartsWith("root=/dev/mapper/rhel-root ro crashkernel=auto", inv.Default?.Cmdline);
        Assert.DoesNotContain("$", inv.Default?.Cmdline);
        Assert.Equal("4.18.0-477.10.1.el8_8.x86_64", inv.Newest?.Version);
    }

    [Fact]
    public void Fedora39_Bls_NewestKernelFirst_RescueLast()
    {
        BootInventory inv = Discover("fedora39");
        Assert.Equal("6.5.12-300.fc39.x86_64", inv.Entries[0].Version);
        Assert.StartsWith("0-rescue", inv.Entries[^1].Version);
    }

    [Fact]
    public void Arch_SystemdBoot_LoaderConfDefault_VersionFromTheKernelHeader_MicrocodeFirst()
    {
        BootInventory inv = Discover("arch");
        Assert.Equal("systemd-boot", inv.Bootloader);
        Assert.Equal("arch", inv.Default?.Id);
        Assert.Equal("6.6.10-arch1-1", inv.Default?.Version);
        Assert.Equal(["/boot/intel-ucode.img", "/boot/initramfs-linux.img"], inv.Default!.Initrds.ToArray());
    }

    [Fact]
    public void Uki_BothImagesListed_WithTheirEmbeddedCommandLines()
    {
        BootInventory inv = Discover("uki");
        Assert.All(inv.Entries, e => Assert.Equal(BootEntrySource.Uki, e.Source));
        Assert.Contains(inv.Entries, e => e.Version == "6.1.0-53-amd64" && e.Cmdline is { Length: > 0 } && e.Uki is not null);
        Assert.Equal(2, inv.Diagnostics.Length);
    }

    [Fact]
    public void DebianPlainBoot_VmlinuzSymlinkNamesTheDefault()
    {
        BootInventory inv = Discover("debian12-plain");
        Assert.Equal("none", inv.Bootloader);
        Assert.Equal("6.1.0-53-amd64", inv.Default?.Version);
        Assert.Equal(["/boot/initrd.img-6.1.0-53-amd64"], inv.Default!.Initrds.ToArray());
        Assert.Null(inv.Default?.Cmdline);
    }

    [Fact]
    public void ArchPlainBoot_WithoutBootloaderConfig_NewestIsTheDefault()
    {
        BootInventory inv = Discover("arch-plain");
        Assert.Equal("6.6.1-arch1-1", inv.Default?.Version);
        Assert.Equal("/boot/intel-ucode.img", inv.Default?.Initrds[0]);
    }
}
