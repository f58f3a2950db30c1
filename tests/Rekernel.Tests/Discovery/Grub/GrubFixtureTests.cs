using Rekernel.Discovery;
using Rekernel.Discovery.Bls;
using Rekernel.Discovery.Grub;

namespace Rekernel.Tests.Discovery.Grub;

public sealed class GrubFixtureTests
{
    private const string DebianUuid = "0b5c7d3e-52c6-4d3c-9f3a-5a8c1e6f2b41";

    private static GrubMenu Read(string fixture, BlsScan? bls = null)
    {
        var root = new BootRoot(Path.Combine(TestPaths.Fixtures, fixture));
        GrubMenu? menu = GrubReader.Read(root, GrubEnv.Load(root), bls ?? BlsScan.Empty);
        Assert.NotNull(menu);
        return menu;
    }

    [Fact]
    public void Debian12_DefaultIsTheFirstEntry_TheNewestKernel()
    {
        GrubMenu menu = Read("debian12");
        Assert.Empty(menu.Diagnostics);
        BootEntry d = Assert.IsType<BootEntry>(menu.DefaultEntry);
        Assert.Equal($"gnulinux-simple-{DebianUuid}", d.Id);
        Assert.Equal("Debian GNU/Linux", d.Title);
        Assert.Equal("6.1.0-53-amd64", d.Version);
        Assert.Equal("/boot/vmlinuz-6.1.0-53-amd64", d.Kernel);
        Assert.Equal<string>(["/boot/initrd.img-6.1.0-53-amd64"], d.Initrds);
        Assert.Equal($"root=UUID={DebianUuid} ro quiet", d.Cmdline);
        Assert.Equal(BootEntrySource.Grub, d.Source);
        Assert.Equal("/boot/grub/grub.cfg:106", d.Origin);
    }

    [Fact]
    public void Debian12_MenuHasTheAdvancedSubmenuWithRecoveryEntries()
    {
        GrubMenu menu = Read("debian12");
        Assert.Equal(
            ["Debian GNU/Linux", "Debian GNU/Linux, with Linux 6.1.0-53-amd64", "Debian GNU/Linux, with Linux 6.1.0-53-amd64 (recovery mode)",
             "Debian GNU/Linux, with Linux 6.1.0-47-amd64", "Debian GNU/Linux, with Linux 6.1.0-47-amd64 (recovery mode)"],
            menu.Entries.Select(e => e.Title));
        Assert.Equal(
            [$"gnulinux-simple-{DebianUuid}", $"gnulinux-6.1.0-53-amd64-advanced-{DebianUuid}", $"gnulinux-6.1.0-53-amd64-recovery-{DebianUuid}",
             $"gnulinux-6.1.0-47-amd64-advanced-{DebianUuid}", $"gnulinux-6.1.0-47-amd64-recovery-{DebianUuid}"],
            menu.Entries.Select(e => e.Id));
        BootEntry recovery = menu.Entries[4];
        Assert.Equal("Debian GNU/Linux, with Linux 6.1.0-47-amd64 (recovery mode)", recovery.Title);
        Assert.Equal($"root=UUID={DebianUuid} ro single", recovery.Cmdline);
    }

    [Fact]
    public void Debian12Saved_SavedEntryBySubmenuTitlePath_SelectsOlderKernel()
    {
        GrubMenu menu = Read("debian12-saved");
        Assert.Empty(menu.Diagnostics);
        Assert.Equal($"gnulinux-6.1.0-47-amd64-advanced-{DebianUuid}", menu.DefaultEntry?.Id);
        Assert.Equal("/boot/vmlinuz-6.1.0-47-amd64", menu.DefaultEntry?.Kernel);
    }

    [Fact]
    public void Debian12Saved_NextEntryOneShot_LeavesTheSavedDefault_ShownApart()
    {
        var root = new BootRoot(Path.Combine(TestPaths.Fixtures, "debian12-saved"));
        GrubEnv env = GrubEnv.Parse(
            "saved_entry=Advanced options for Debian GNU/Linux>Debian GNU/Linux, with Linux 6.1.0-47-amd64\n" +
            $"next_entry=gnulinux-advanced-{DebianUuid}>gnulinux-6.1.0-53-amd64-recovery-{DebianUuid}\n");
        GrubMenu menu = GrubReader.Read(root, env, BlsScan.Empty)!;
        Assert.Equal($"gnulinux-6.1.0-47-amd64-advanced-{DebianUuid}", menu.DefaultEntry?.Id);
        Assert.Equal($"gnulinux-advanced-{DebianUuid}>gnulinux-6.1.0-53-amd64-recovery-{DebianUuid}", menu.NextEntry);
    }

    [Fact]
    public void Debian12Saved_NoSavedEntry_FallsBackToFirstEntry()
    {
        var root = new BootRoot(Path.Combine(TestPaths.Fixtures, "debian12-saved"));
        GrubMenu menu = GrubReader.Read(root, GrubEnv.Empty, BlsScan.Empty)!;
        Assert.Equal($"gnulinux-simple-{DebianUuid}", menu.DefaultEntry?.Id);
    }

    [Fact]
    public void Centos7_SavedEntryByTitle_SelectsOlderKernelWhileNewerIsInstalled()
    {
        GrubMenu menu = Read("centos7");
        Assert.Empty(menu.Diagnostics);
        Assert.Equal(3, menu.Entries.Length);
        Assert.All(menu.Entries, e => Assert.StartsWith("/boot/grub2/grub.cfg:", e.Origin));
        Assert.Equal("3.10.0-1160.el7.x86_64", menu.Entries[0].Version);
        BootEntry d = Assert.IsType<BootEntry>(menu.DefaultEntry);
        Assert.Equal("CentOS Linux (3.10.0-514.6.1.el7.x86_64) 7 (Core)", d.Title);
        Assert.Equal("3.10.0-514.6.1.el7.x86_64", d.Version);
        Assert.Equal("root=/dev/mapper/centos-root ro crashkernel=auto rd.lvm.lv=centos/root rd.lvm.lv=centos/swap rhgb quiet LANG=en_US.UTF-8", d.Cmdline);
    }

    [Fact]
    public void Centos7_SeparateBootPartition_KernelPathsMapUnderBoot()
    {
        GrubMenu menu = Read("centos7");
        Assert.All(menu.Entries, e => Assert.StartsWith("/boot/vmlinuz-", e.Kernel));
        Assert.Equal("/boot/vmlinuz-3.10.0-514.6.1.el7.x86_64", menu.DefaultEntry?.Kernel);
        Assert.Equal(["/boot/initramfs-3.10.0-514.6.1.el7.x86_64.img"], menu.DefaultEntry?.Initrds);
    }

    private const string RhelOptions = "root=/dev/mapper/rhel-root ro crashkernel=auto resume=/dev/mapper/rhel-swap rd.lvm.lv=rhel/root rd.lvm.lv=rhel/swap rhgb quiet";

    private static (BootEntry Entry, BlsEntry File) Bls(string id, string version) =>
    (
        new BootEntry
        {
            Id = id,
            Title = $"Red Hat Enterprise Linux ({version}) 8.5 (Ootpa)",
            Version = version,
            Kernel = $"/boot/vmlinuz-{version}",
            Initrds = [$"/boot/initramfs-{version}.img"],
            Cmdline = RhelOptions,
            Source = BootEntrySource.Bls,
        },
        BlsReader.Parse($"linux /vmlinuz-{version}\ninitrd /initramfs-{version}.img\noptions {RhelOptions}\n", $"/boot/loader/entries/{id}.conf", "/boot", new List<Diagnostic>())!
    );

    private const string MachineId = "3f1ed2a4b5c64d7e8f9a0b1c2d3e4f50";

    [Fact]
    public void Rhel8_Blscfg_InsertsBlsEntriesNewestFirst_AndSavedEntryNamesABlsId()
    {
        (BootEntry Entry, BlsEntry File)[] bls =
        [
            Bls($"{MachineId}-4.18.0-348.el8.x86_64", "4.18.0-348.el8.x86_64"),
            Bls($"{MachineId}-0-rescue", "0-rescue-" + MachineId),
            Bls($"{MachineId}-4.18.0-372.9.1.el8.x86_64", "4.18.0-372.9.1.el8.x86_64"),
        ];
        GrubMenu menu = Read("rhel8", new BlsScan([.. bls.Select(b => b.Entry)], [.. bls.Select(b => b.File)], []));
        Assert.Empty(menu.Diagnostics);
        Assert.Equal(
            [$"{MachineId}-4.18.0-372.9.1.el8.x86_64", $"{MachineId}-4.18.0-348.el8.x86_64", $"{MachineId}-0-rescue"],
            menu.Entries.Select(e => e.Id));
        Assert.Same(bls[0].Entry, menu.DefaultEntry);
    }
}
