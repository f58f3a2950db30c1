using Rekernel.Discovery;
using Rekernel.Tests.Discovery.Bls;

namespace Rekernel.Tests.Discovery;

/// <summary>The whole discovery on each distribution's fixture tree: what `rekernel list` and `status` show.</summary>
public sealed class BootDiscoveryTests
{
    private static BootInventory Discover(string fixture) => BootDiscovery.Discover(new BootRoot(Path.Combine(TestPaths.Fixtures, fixture)));

    [Fact]
    public void Debian12_GrubMkconfig_DefaultIsTheFirstEntry_Newest53()
    {
        BootInventory inv = Discover("debian12");
        Assert.Equal(Bootloader.Grub, inv.Bootloader);
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
        Assert.Equal(Bootloader.Grub, inv.Bootloader);
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
        Assert.Equal(Bootloader.SystemdBoot, inv.Bootloader);
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
        Assert.Equal(Bootloader.None, inv.Bootloader);
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

    [Fact]
    public void ArchGrub_GrubMkconfigWithVmlinuzLinuxAndLts_VersionsComeFromTheBzImageHeaders()
    {
        BootInventory inv = Discover("arch-grub");
        Assert.Equal(Bootloader.Grub, inv.Bootloader);
        // grub-mkconfig puts the kernel it sorts last ("lts" after "linux") first, so that is GRUB's default.
        Assert.Equal("/boot/vmlinuz-linux-lts", inv.Default?.Kernel);
        Assert.Equal("6.1.71-1-lts", inv.Default?.Version);
        Assert.Equal("6.6.10-arch1-1", inv.Newest?.Version);
        Assert.Equal(["6.6.10-arch1-1", "6.1.71-1-lts", "6.1.71-1-lts"], inv.Entries.Select(e => e.Version));
        Assert.All(inv.Entries, e => Assert.Equal(BootEntrySource.Grub, e.Source));
        Assert.Equal("root=/dev/vda ro loglevel=3 quiet", inv.Default?.Cmdline);
    }

    [Fact]
    public void Debian12_OneShotNextEntryToTheOldKernel_DefaultStaysNewest53_NextEntryShownApart()
    {
        // What rekernel's return path (or grub-reboot) leaves in grubenv while a switch is pending.
        const string next = "gnulinux-advanced-0b5c7d3e-52c6-4d3c-9f3a-5a8c1e6f2b41>gnulinux-6.1.0-47-amd64-advanced-0b5c7d3e-52c6-4d3c-9f3a-5a8c1e6f2b41";
        using var tree = new TempBootTree();
        tree.CopyFixture("debian12");
        tree.Write("/boot/grub/grubenv", "# GRUB Environment Block\nnext_entry=" + next + "\n" + new string('#', 800));
        BootInventory inv = BootDiscovery.Discover(tree.Root);
        Assert.Equal("6.1.0-53-amd64", inv.Default?.Version);
        Assert.Equal(next, inv.Grub?.NextEntry);
    }

    [Fact]
    public void Rhel8_GrubenvWithoutKernelopts_TheFallbackThatGrubCfgSetsIsExpanded()
    {
        using var tree = new TempBootTree();
        tree.CopyFixture("rhel8");
        tree.Write("/boot/grub2/grubenv", "# GRUB Environment Block\nsaved_entry=3f1ed2a4b5c64d7e8f9a0b1c2d3e4f50-4.18.0-348.el8.x86_64\nboot_success=0\n" + new string('#', 900));
        BootInventory inv = BootDiscovery.Discover(tree.Root);
        Assert.Equal("4.18.0-348.el8.x86_64", inv.Default?.Version);
        Assert.Equal("root=/dev/mapper/rhel-root ro crashkernel=auto resume=/dev/mapper/rhel-swap rd.lvm.lv=rhel/root rd.lvm.lv=rhel/swap rhgb quiet", inv.Default?.Cmdline);
        Assert.All(inv.Entries.Where(e => e.Source == BootEntrySource.Bls), e => Assert.StartsWith("root=/dev/mapper/rhel-root ", e.Cmdline));
    }

    [Fact]
    public void Rhel8_KernelOptsSetAfterLoadEnv_WinsOverGrubenv_AsBlscfgSeesIt()
    {
        using var tree = new TempBootTree();
        tree.CopyFixture("rhel8");
        string cfg = File.ReadAllText(tree.Root.ToHost("/boot/grub2/grub.cfg"));
        tree.Write("/boot/grub2/grub.cfg", cfg.Replace("insmod blscfg\n", "set kernelopts=\"root=/dev/vda2 ro\"\ninsmod blscfg\n", StringComparison.Ordinal));
        BootInventory inv = BootDiscovery.Discover(tree.Root);
        Assert.Equal("root=/dev/vda2 ro", inv.Default?.Cmdline);
    }

    [Fact]
    public void XenOnlyMenu_EntriesAreNamedWithWhyTheyCannotBeKexeced()
    {
        using var tree = new TempBootTree();
        tree.Write("/boot/grub/grub.cfg",
            "menuentry 'Debian GNU/Linux, with Xen hypervisor' {\n\tmultiboot2 /boot/xen.gz placeholder\n\tmodule2 /boot/vmlinuz-6.1.0-53-amd64 placeholder root=/dev/vda1 ro\n\tmodule2 --nounzip /boot/initrd.img-6.1.0-53-amd64\n}\n");
        BootInventory inv = BootDiscovery.Discover(tree.Root);
        Assert.Empty(inv.Entries);
        Diagnostic d = Assert.Single(inv.Diagnostics);
        Assert.Equal("/boot/grub/grub.cfg:1: menuentry 'Debian GNU/Linux, with Xen hypervisor' boots 'multiboot2 /boot/xen.gz' (a hypervisor such as Xen, or another multiboot kernel); kexec can start only a Linux kernel, so rekernel skips it", d.ToString());
    }

    [Theory]
    [InlineData("(hd0,gpt2/vmlinuz-6.1.0-53-amd64", "opens a device name with '(' and never closes it")]
    [InlineData("()/vmlinuz-6.1.0-53-amd64", "names an empty device")]
    [InlineData("/boot", "is a directory")]
    public void UnloadableNewestEntry_IsListedWithADiagnostic_ButNeverTheDefaultOrNewest(string kernel, string why)
    {
        using var tree = new TempBootTree();
        tree.Write("/boot/vmlinuz-6.1.0-47-amd64", "").Write("/boot/vmlinuz-6.1.0-53-amd64", "");
        tree.Write("/boot/grub/grub.cfg",
            $"menuentry 'broken' --id broken {{\n linux {kernel} root=/dev/vda1\n}}\nmenuentry 'old' --id old {{\n linux /boot/vmlinuz-6.1.0-47-amd64 root=/dev/vda1\n}}\n");
        BootInventory inv = BootDiscovery.Discover(tree.Root);
        BootEntry broken = Assert.Single(inv.Entries, e => e.Id == "broken");
        Assert.Contains(why, broken.LoadProblem);
        Assert.Contains(inv.Diagnostics, d => d.Message.StartsWith("menuentry 'broken' cannot be loaded by GRUB", StringComparison.Ordinal));
        Assert.Null(inv.Default); // GRUB's default is the first entry, which fails to boot
        Assert.NotEqual("broken", inv.Newest?.Id);
    }
}
