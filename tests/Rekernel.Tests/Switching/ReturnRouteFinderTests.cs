using Rekernel.Discovery;
using Rekernel.Journal;
using Rekernel.Machine;
using Rekernel.Switching;
using Rekernel.Tests.Journal;

namespace Rekernel.Tests.Switching;

public sealed class ReturnRouteFinderTests : IDisposable
{
    private const string DebianUuid = "0b5c7d3e-52c6-4d3c-9f3a-5a8c1e6f2b41";
    private readonly ScratchDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static ReturnRoute Find(string directory, string release)
    {
        var files = new BootRoot(directory);
        return ReturnRouteFinder.Find(files, BootDiscovery.Discover(files), new RunningSystem(directory, release));
    }

    private static ReturnRoute Fixture(string name, string release) => Find(Path.Combine(TestPaths.Fixtures, name), release);

    [Fact]
    public void Debian12_OlderKernelRunning_NextEntryIsTheAdvancedSubmenuPathOfIds()
    {
        ReturnRoute route = Fixture("debian12", "6.1.0-47-amd64");

        Assert.Null(route.Reason);
        Assert.Equal(new ReturnPath(ReturnMechanism.GrubNextEntry, $"gnulinux-advanced-{DebianUuid}>gnulinux-6.1.0-47-amd64-advanced-{DebianUuid}", "/boot/grub/grubenv"), route.Path);
    }

    [Fact]
    public void Debian12_NewestKernelRunning_NextEntryIsTheTopLevelEntry()
    {
        Assert.Equal($"gnulinux-simple-{DebianUuid}", Fixture("debian12", "6.1.0-53-amd64").Path?.Entry);
    }

    [Fact]
    public void Rhel8Blscfg_NextEntryIsTheBlsId()
    {
        ReturnRoute route = Fixture("rhel8", "4.18.0-348.el8.x86_64");

        Assert.Equal(ReturnMechanism.GrubNextEntry, route.Path?.Mechanism);
        Assert.Equal("3f1ed2a4b5c64d7e8f9a0b1c2d3e4f50-4.18.0-348.el8.x86_64", route.Path?.Entry);
        Assert.Equal("/boot/grub2/grubenv", route.Path?.File);
    }

    [Fact]
    public void RunningKernelRemovedFromTheMenu_HasNoReturnPath()
    {
        ReturnRoute route = Fixture("debian12", "6.1.0-40-amd64");

        Assert.Null(route.Path);
        Assert.Equal("the running kernel 6.1.0-40-amd64 is not in GRUB's menu (/boot/grub/grub.cfg), so a firmware reboot cannot be sent back to it", route.Reason);
    }

    [Fact]
    public void GrubConfigThatNeverReadsNextEntry_SaysSo()
    {
        string cfg = File.ReadAllText(Path.Combine(TestPaths.Fixtures, "debian12", "boot", "grub", "grub.cfg"));
        _dir.Write("boot/grub/grub.cfg", cfg.Replace("set default=\"${next_entry}\"", "true", StringComparison.Ordinal));

        ReturnRoute route = Find(_dir.Path, "6.1.0-47-amd64");

        Assert.Equal("/boot/grub/grub.cfg never reads next_entry (no set default=\"${next_entry}\"), so GRUB would ignore a one-shot entry; regenerate it with grub-mkconfig", route.Reason);
    }

    [Fact]
    public void BootImageOfAnotherKernelFile_DoesNotMatchTheEntry()
    {
        string machine = Path.Combine(TestPaths.Fixtures, "debian12");
        var files = new BootRoot(machine);
        _dir.Write("proc/cmdline", "BOOT_IMAGE=/boot/vmlinuz-custom root=/dev/vda\n");
        _dir.Write("proc/sys/kernel/osrelease", "6.1.0-47-amd64\n");

        ReturnRoute route = ReturnRouteFinder.Find(files, BootDiscovery.Discover(files), new RunningSystem(_dir.Path));

        Assert.StartsWith("the running kernel 6.1.0-47-amd64 is not in GRUB's menu", route.Reason);
    }

    [Fact]
    public void DirectKernelBoot_NoBootloader_HasNoReturnPath()
    {
        ReturnRoute route = Fixture("debian12-plain", "6.1.0-47-amd64");

        Assert.Equal("no bootloader configuration was found (direct kernel boot?), so a firmware reboot starts whatever the firmware or hypervisor is set to boot", route.Reason);
    }

    private void SystemdBootMachine(bool loaderInfo = true, string? selected = null)
    {
        foreach (string version in new[] { "6.8.0-1", "6.9.0-1" })
        {
            _dir.Write($"boot/loader/entries/arch-{version}.conf", $"title Arch\nversion {version}\nlinux /vmlinuz-{version}\ninitrd /initramfs-{version}.img\noptions root=/dev/vda\n");
            Images.FakeKernel.Write(_dir.File($"boot/vmlinuz-{version}"), version);
            _dir.Write($"boot/initramfs-{version}.img", "initrd");
        }
        Directory.CreateDirectory(_dir.File("sys/firmware/efi/efivars"));
        if (loaderInfo) WriteEfiVariable("LoaderInfo", "systemd-boot 252.36-1~deb12u1");
        if (selected is not null) WriteEfiVariable("LoaderEntrySelected", selected);
    }

    private void WriteEfiVariable(string name, string value) =>
        File.WriteAllBytes(_dir.File($"sys/firmware/efi/efivars/{name}-4a67b082-0a4c-41cf-b6c7-440b29bb8c4f"),
            [0x06, 0, 0, 0, .. System.Text.Encoding.Unicode.GetBytes(value + "\0")]);

    [Fact]
    public void SystemdBoot_OneShotIsTheEntryOfTheRunningKernel()
    {
        SystemdBootMachine();

        ReturnRoute route = Find(_dir.Path, "6.8.0-1");

        Assert.Equal(new ReturnPath(ReturnMechanism.SystemdBootOneShot, "arch-6.8.0-1.conf", "/sys/firmware/efi/efivars/LoaderEntryOneShot-4a67b082-0a4c-41cf-b6c7-440b29bb8c4f"), route.Path);
    }

    [Fact]
    public void UkiOnlyWithoutSystemdBoot_NothingReadsTheOneShot()
    {
        SystemdBootMachine(loaderInfo: false);

        Assert.Equal("the machine was not started by systemd-boot (no LoaderInfo EFI variable naming it), so nothing would read LoaderEntryOneShot", Find(_dir.Path, "6.8.0-1").Reason);
    }
}
