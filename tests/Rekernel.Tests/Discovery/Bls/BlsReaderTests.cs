using CsCheck;
using Rekernel.Discovery;
using Rekernel.Discovery.Bls;

namespace Rekernel.Tests.Discovery.Bls;

public sealed class BlsReaderTests
{
    private const string FedoraMachineId = "b7a4c2e91f3d4a6c8e5f0a1b2c3d4e5f";
    private const string RhelMachineId = "3f1ed2a4b5c64d7e8f9a0b1c2d3e4f50";
    private const string ArchMachineId = "0f3c8a6e2b1d4e5f8a9b0c1d2e3f4a5b";
    private const string RhelKernelOpts =
        "root=/dev/mapper/rhel-root ro crashkernel=auto resume=/dev/mapper/rhel-swap rd.lvm.lv=rhel/root rd.lvm.lv=rhel/swap rhgb quiet";

    private static BootRoot Fixture(string name) => new(Path.Combine(TestPaths.Fixtures, name));

    [Fact]
    public void Fedora39_TwoKernelsAndRescue_NewestKernelListedFirst()
    {
        BlsScan scan = BlsReader.Read(Fixture("fedora39"), GrubEnv.Empty);

        Assert.Empty(scan.Diagnostics);
        Assert.Equal(
            [$"{FedoraMachineId}-6.5.12-300.fc39.x86_64", $"{FedoraMachineId}-6.5.6-300.fc39.x86_64", $"{FedoraMachineId}-0-rescue"],
            scan.Entries.Select(e => e.Id));
        BootEntry newest = scan.Entries[0];
        Assert.Equal("Fedora Linux (6.5.12-300.fc39.x86_64) 39 (Workstation Edition)", newest.Title);
        Assert.Equal("6.5.12-300.fc39.x86_64", newest.Version);
        Assert.Equal("/boot/vmlinuz-6.5.12-300.fc39.x86_64", newest.Kernel);
        Assert.Equal(["/boot/initramfs-6.5.12-300.fc39.x86_64.img"], newest.Initrds.AsEnumerable());
        Assert.Equal("root=UUID=7c3e9a2f-5b1d-4e8a-9f6c-2d4b8e1a3c5f ro rhgb quiet", newest.Cmdline);
        Assert.Equal(BootEntrySource.Bls, newest.Source);
        Assert.Equal($"/boot/loader/entries/{FedoraMachineId}-6.5.12-300.fc39.x86_64.conf:3", newest.Origin);
    }

    [Fact]
    public void Rhel8_KernelOptsFromGrubenv_AreExpanded()
    {
        BootRoot root = Fixture("rhel8");
        BlsScan scan = BlsReader.Read(root, GrubEnv.Load(root));

        Assert.Empty(scan.Diagnostics);
        Assert.Equal(
            [$"{RhelMachineId}-4.18.0-477.10.1.el8_8.x86_64", $"{RhelMachineId}-4.18.0-348.el8.x86_64", $"{RhelMachineId}-0-rescue"],
            scan.Entries.Select(e => e.Id));
        Assert.All(scan.Entries, e => Assert.Equal(RhelKernelOpts, e.Cmdline));
        // $tuned_initrd is not set: it adds nothing.
        Assert.Equal(["/boot/initramfs-4.18.0-348.el8.x86_64.img"], scan.Entries[1].Initrds.AsEnumerable());
        Assert.Equal("Red Hat Enterprise Linux (4.18.0-477.10.1.el8_8.x86_64) 8.8 (Ootpa)", scan.Entries[0].Title);
    }

    [Fact]
    public void Rhel8_TunedInitrdWithTwoFiles_GivesTwoMoreInitrds()
    {
        GrubEnv env = GrubEnv.Parse($"kernelopts={RhelKernelOpts}\ntuned_params=skew_tick=1 nohz=on\ntuned_initrd=/tuned-initrd.img /extra.img\n");
        BlsScan scan = BlsReader.Read(Fixture("rhel8"), env);

        BootEntry entry = scan.Entries.Single(e => e.Version == "4.18.0-348.el8.x86_64");
        Assert.Equal(["/boot/initramfs-4.18.0-348.el8.x86_64.img", "/boot/tuned-initrd.img", "/boot/extra.img"], entry.Initrds.AsEnumerable());
        Assert.Equal(RhelKernelOpts + " skew_tick=1 nohz=on", entry.Cmdline);
    }

    [Fact]
    public void Arch_KernelInstallEntriesWithSortKey_ComeBeforeHandWrittenOnes()
    {
        BlsScan scan = BlsReader.Read(Fixture("arch"), GrubEnv.Empty);

        Assert.Empty(scan.Diagnostics);
        Assert.Equal([$"{ArchMachineId}-6.6.10-arch1-1", $"{ArchMachineId}-6.6.1-arch1-1", "arch", "arch-lts"], scan.Entries.Select(e => e.Id));
        BootEntry installed = scan.Entries[0];
        Assert.Equal($"/boot/{ArchMachineId}/6.6.10-arch1-1/linux", installed.Kernel);
        Assert.Equal([$"/boot/{ArchMachineId}/6.6.10-arch1-1/initrd.img"], installed.Initrds.AsEnumerable());
        Assert.Equal("arch", installed.SortKey);
        Assert.Equal(ArchMachineId, installed.MachineId);
        Assert.Equal("6.6.10-arch1-1", installed.Version);
        Assert.Equal($"root=PARTUUID=4e1f6b2c-8a3d-4f5e-9b7c-1d2e3f4a5b6c rw systemd.machine_id={ArchMachineId}", installed.Cmdline);

        BootEntry arch = scan.Entries[2];
        Assert.Equal("Arch Linux", arch.Title);
        Assert.Equal("/boot/vmlinuz-linux", arch.Kernel);
        Assert.Equal(["/boot/intel-ucode.img", "/boot/initramfs-linux.img"], arch.Initrds.AsEnumerable());
        // vmlinuz-linux names no release; the version comes from its bzImage header.
        Assert.Equal("6.6.10-arch1-1", arch.Version);
    }

    [Fact]
    public void EveryKey_IsRead()
    {
        using var tree = new TempBootTree();
        tree.Write("/efi/loader/entries/full.conf", $"""
            # a comment, then a blank line

            title      Full entry
            version    6.1.0-13-amd64
            machine-id {FedoraMachineId}
            sort-key   debian
            linux      /vmlinuz
            initrd     /ucode.img
            initrd     /initrd.img
            options    root=/dev/vda1
            options    quiet splash
            devicetree /dtb/board.dtb
            devicetree-overlay /dtb/a.dtbo /dtb/b.dtbo
            architecture {BlsReader.EfiArchitecture.ToUpperInvariant()}
            grub_class debian
            """).Write("/efi/vmlinuz", "");

        BlsScan scan = BlsReader.Read(tree.Root, GrubEnv.Empty);

        Assert.Empty(scan.Diagnostics);
        BlsEntry file = Assert.Single(scan.Files);
        Assert.Equal("Full entry", file.Title);
        Assert.Equal("6.1.0-13-amd64", file.Version);
        Assert.Equal(FedoraMachineId, file.MachineId);
        Assert.Equal("debian", file.SortKey);
        Assert.Equal("/vmlinuz", file.Linux);
        Assert.Equal(["/ucode.img", "/initrd.img"], file.Initrds.AsEnumerable());
        Assert.Equal("root=/dev/vda1 quiet splash", file.Options);
        Assert.Equal("/dtb/board.dtb", file.Devicetree);
        Assert.Equal(["/dtb/a.dtbo", "/dtb/b.dtbo"], file.DevicetreeOverlays.AsEnumerable());
        Assert.Equal(BlsReader.EfiArchitecture.ToUpperInvariant(), file.Architecture);
        Assert.Equal("/efi", file.PartitionRoot);

        BootEntry entry = Assert.Single(scan.Entries);
        Assert.Equal("/efi/vmlinuz", entry.Kernel);
        Assert.Equal(["/efi/ucode.img", "/efi/initrd.img"], entry.Initrds.AsEnumerable());
        Assert.Equal("root=/dev/vda1 quiet splash", entry.Cmdline);
    }

    [Fact]
    public void EfiOnlyEntry_IsKept_AndForeignArchitectureIsSkipped()
    {
        using var tree = new TempBootTree();
        tree.Write("/boot/efi/loader/entries/shell.conf", "title Shell\nefi /EFI/tools/shell.efi\n")
            .Write("/boot/efi/EFI/tools/shell.efi", "")
            .Write("/boot/efi/loader/entries/other.conf", "title Other\nlinux /vmlinuz\narchitecture sparc64\n")
            .Write("/boot/efi/vmlinuz", "");

        BlsScan scan = BlsReader.Read(tree.Root, GrubEnv.Empty);

        BootEntry shell = Assert.Single(scan.Entries);
        Assert.Equal("/boot/efi/EFI/tools/shell.efi", shell.Kernel);
        Assert.Equal("/EFI/tools/shell.efi", Assert.Single(scan.Files).Efi);
        Assert.Contains(scan.Diagnostics, d => d.File == "/boot/efi/loader/entries/other.conf" && d.Message.Contains("sparc64", StringComparison.Ordinal));
    }

    [Fact]
    public void EntryOnEspAtBootEfi_PathsAreRelativeToThatPartition()
    {
        using var tree = new TempBootTree();
        tree.Write("/boot/efi/loader/entries/esp.conf", "title On ESP\nlinux /vmlinuz-6.1.0-13-amd64\ninitrd /initrd.img-6.1.0-13-amd64\n")
            .Write("/boot/efi/vmlinuz-6.1.0-13-amd64", "")
            .Write("/boot/vmlinuz-6.1.0-13-amd64", "");

        BootEntry entry = Assert.Single(BlsReader.Read(tree.Root, GrubEnv.Empty).Entries);

        Assert.Equal("/boot/efi/vmlinuz-6.1.0-13-amd64", entry.Kernel);
        Assert.Equal(["/boot/efi/initrd.img-6.1.0-13-amd64"], entry.Initrds.AsEnumerable());
        Assert.Equal("6.1.0-13-amd64", entry.Version);
    }

    [Fact]
    public void BootOnRootFileSystem_BootPrefixedPathsAreFound()
    {
        using var tree = new TempBootTree();
        tree.Write("/boot/loader/entries/x-5.14.0-362.el9.x86_64.conf",
                "title RHEL\nversion 5.14.0-362.el9.x86_64\nlinux /boot/vmlinuz-5.14.0-362.el9.x86_64\ninitrd /boot/initramfs-5.14.0-362.el9.x86_64.img\n")
            .Write("/boot/vmlinuz-5.14.0-362.el9.x86_64", "")
            .Write("/boot/initramfs-5.14.0-362.el9.x86_64.img", "");

        BootEntry entry = Assert.Single(BlsReader.Read(tree.Root, GrubEnv.Empty).Entries);

        Assert.Equal("/boot/vmlinuz-5.14.0-362.el9.x86_64", entry.Kernel);
        Assert.Equal(["/boot/initramfs-5.14.0-362.el9.x86_64.img"], entry.Initrds.AsEnumerable());
    }

    [Fact]
    public void BootCountingSuffix_IsStrippedFromId_AndExhaustedEntrySortsLast()
    {
        using var tree = new TempBootTree();
        tree.Write("/efi/loader/entries/linux-6.1+3-1.conf", "title Counting\nlinux /vmlinuz\n")
            .Write("/efi/loader/entries/linux-6.2+0-3.conf", "title Exhausted\nlinux /vmlinuz\n")
            .Write("/efi/loader/entries/linux-5.9+x.conf", "title Not a counter\nlinux /vmlinuz\n")
            .Write("/efi/vmlinuz", "");

        BlsScan scan = BlsReader.Read(tree.Root, GrubEnv.Empty);

        Assert.Equal(["linux-6.1", "linux-5.9+x", "linux-6.2"], scan.Entries.Select(e => e.Id));
        Assert.Equal((3, 1), (scan.Entries[0].TriesLeft, scan.Entries[0].TriesDone));
        Assert.Null(scan.Entries[1].TriesLeft);
        Assert.Equal(0, scan.Entries[2].TriesLeft);
    }

    [Fact]
    public void EspSymlinkedTwice_EntriesListedOnce()
    {
        using var tree = new TempBootTree();
        tree.Write("/boot/efi/loader/entries/a.conf", "title A\nlinux /vmlinuz\n")
            .Write("/boot/efi/vmlinuz", "")
            .Symlink("/efi", "boot/efi");

        BlsScan scan = BlsReader.Read(tree.Root, GrubEnv.Empty);

        Assert.Single(scan.Entries);
    }

    [Fact]
    public void MalformedLines_ReportFileAndLine_AndOtherEntriesAreStillListed()
    {
        using var tree = new TempBootTree();
        tree.Write("/boot/loader/entries/bad.conf", "title Bad\nlinux\ninitrd /../../etc/shadow\nlinux /vmlinuz/\n")
            .Write("/boot/loader/entries/nokernel.conf", "title No kernel\noptions quiet\n")
            .Write("/boot/loader/entries/missing.conf", "title Missing\nlinux /vmlinuz-gone\n")
            .Write("/boot/loader/entries/both.conf", "title Both\nlinux /vmlinuz\nefi /x.efi\n")
            .Write("/boot/loader/entries/good.conf", "title Good\nlinux /vmlinuz\n")
            .Write("/boot/vmlinuz", "");

        BlsScan scan = BlsReader.Read(tree.Root, GrubEnv.Empty);

        Assert.Equal(["good"], scan.Entries.Select(e => e.Id));
        string[] shown = [.. scan.Diagnostics.Select(d => d.ToString())];
        Assert.Contains(shown, s => s.StartsWith("/boot/loader/entries/bad.conf:2: field 'linux' without value", StringComparison.Ordinal));
        Assert.Contains(shown, s => s.StartsWith("/boot/loader/entries/bad.conf:3: path in field 'initrd' is not normalized", StringComparison.Ordinal));
        Assert.Contains(shown, s => s.StartsWith("/boot/loader/entries/bad.conf:4: path in field 'linux' has a trailing slash", StringComparison.Ordinal));
        Assert.Contains(shown, s => s.StartsWith("/boot/loader/entries/bad.conf: entry has no 'linux'", StringComparison.Ordinal));
        Assert.Contains(shown, s => s.StartsWith("/boot/loader/entries/nokernel.conf: entry has no 'linux'", StringComparison.Ordinal));
        Assert.Contains(shown, s => s.StartsWith("/boot/loader/entries/missing.conf:2: /boot/vmlinuz-gone does not exist", StringComparison.Ordinal));
        Assert.Contains(shown, s => s.StartsWith("/boot/loader/entries/both.conf:3: entry has both", StringComparison.Ordinal));
    }

    [Fact]
    public void HundredKernels_ReadOnTwoThreads_AreAllListedNewestFirst_AndBrokenEntriesReported()
    {
        using var tree = new TempBootTree();
        for (int i = 1; i <= 100; i++)
        {
            tree.Write($"/boot/{ArchMachineId}/6.1.0-{i}-amd64/linux", "")
                .Write($"/boot/loader/entries/{ArchMachineId}-6.1.0-{i}-amd64.conf",
                    $"title Debian\nversion 6.1.0-{i}-amd64\nmachine-id {ArchMachineId}\nlinux /{ArchMachineId}/6.1.0-{i}-amd64/linux\n");
        }
        tree.Write("/boot/loader/entries/nokernel.conf", "title No kernel\n")
            .Symlink("/boot/loader/entries/again.conf", $"{ArchMachineId}-6.1.0-7-amd64.conf");
        Directory.CreateDirectory(tree.Root.ToHost("/boot/loader/entries/dir.conf"));
        string[] newestFirst = [.. Enumerable.Range(1, 100).Reverse().Select(i => $"6.1.0-{i}-amd64")];

        // Without the scan's path cache (BlsReader alone) and with it (discovery), the same entries in the same order.
        BlsScan scan = BlsReader.Read(tree.Root, GrubEnv.Empty);
        BootInventory inventory = BootDiscovery.Discover(tree.Root);

        Assert.Equal(newestFirst, scan.Entries.Select(e => e.Version));
        Assert.Equal(newestFirst, inventory.Entries.Select(e => e.Version));
        Assert.Equal("/boot/loader/entries/nokernel.conf: entry has no 'linux' (or 'efi') line; entry skipped", Assert.Single(scan.Diagnostics).ToString());
    }

    [Fact]
    public void HugeAndBinaryFiles_AreReportedWithoutThrowing()
    {
        using var tree = new TempBootTree();
        var random = new Random(42);
        byte[] garbage = new byte[64 * 1024];
        random.NextBytes(garbage);
        tree.WriteBytes("/boot/loader/entries/garbage.conf", garbage)
            .Write("/boot/loader/entries/oneline.conf", "title " + new string('x', 5 * 1024 * 1024) + "\nlinux /vmlinuz\n")
            .Write("/boot/loader/entries/manylines.conf", string.Concat(Enumerable.Repeat("options a b c d e f g h i j k l m n o p q r s t u v w x y z\n", 90_000)) + "linux /vmlinuz\n")
            .Write("/boot/loader/entries/good.conf", "title Good\nlinux /vmlinuz\n")
            .Write("/boot/vmlinuz", "");

        BlsScan scan = BlsReader.Read(tree.Root, GrubEnv.Empty);

        Assert.Equal(["manylines", "good"], scan.Entries.Select(e => e.Id));
        Assert.Contains(scan.Diagnostics, d => d.File == "/boot/loader/entries/oneline.conf" && d.Line == 1 && d.Message.StartsWith("line too long", StringComparison.Ordinal));
        Assert.Contains(scan.Diagnostics, d => d.File == "/boot/loader/entries/garbage.conf");
    }

    [Fact]
    public void AnyText_ParsesWithoutThrowing()
    {
        Gen.String[Gen.Char["linux initrd options title $kernelopts{}\"#/.\t\n\r\0x"], 0, 300].Sample(text =>
        {
            var diagnostics = new List<Diagnostic>();
            BlsEntry? entry = BlsReader.Parse(text, "/boot/loader/entries/fuzz.conf", "/boot", diagnostics);
            Assert.True(entry is not null || diagnostics.Count > 0);
        });
    }

    [Fact]
    public void QuotedValue_LosesItsQuotes_AsSystemdBootReadsIt()
    {
        var diagnostics = new List<Diagnostic>();
        BlsEntry? entry = BlsReader.Parse("title \"Quoted title\"\nlinux /vmlinuz\n", "/boot/loader/entries/q.conf", "/boot", diagnostics);

        Assert.Equal("Quoted title", entry?.Title);
    }

    [Fact]
    public void VariablesInOptions_UnsetExpandToNothing_BracedFormWorks()
    {
        using var tree = new TempBootTree();
        tree.Write("/boot/vmlinuz", "").Write("/boot/loader/entries/v.conf", "linux /vmlinuz\noptions $unset ${kernelopts} $tuned_params quiet\n");
        BlsScan scan = BlsReader.Read(tree.Root, GrubEnv.Parse("kernelopts=root=/dev/sda1  ro\n"));

        Assert.Equal("root=/dev/sda1 ro quiet", Assert.Single(scan.Entries).Cmdline);
        Assert.Equal("$unset ${kernelopts} $tuned_params quiet", Assert.Single(scan.Files).Options);
    }

    [Fact]
    public void InvalidEntryFileName_IsReported()
    {
        using var tree = new TempBootTree();
        tree.Write("/boot/loader/entries/bad name.conf", "linux /vmlinuz\n")
            .Write("/boot/loader/entries/auto-windows.conf", "linux /vmlinuz\n")
            .Write("/boot/loader/entries/.hidden.conf", "linux /vmlinuz\n")
            .Write("/boot/vmlinuz", "");

        BlsScan scan = BlsReader.Read(tree.Root, GrubEnv.Empty);

        Assert.Empty(scan.Entries);
        Diagnostic d = Assert.Single(scan.Diagnostics);
        Assert.Equal("/boot/loader/entries/bad name.conf", d.File);
    }

    [Fact]
    public void EmptyRoot_GivesNoEntries()
    {
        using var tree = new TempBootTree();
        BlsScan scan = BlsReader.Read(tree.Root, GrubEnv.Empty);
        Assert.Empty(scan.Entries);
        Assert.Empty(scan.Diagnostics);
    }

    [Fact]
    public void Scan_FilesLineUpWithEntries()
    {
        BlsScan scan = BlsReader.Read(Fixture("arch"), GrubEnv.Empty);
        Assert.Equal(scan.Entries.Select(e => e.Id), scan.Files.Select(f => f.Id));
    }

    [Fact]
    public void SameFileThroughTwoPaths_HasOneIdentity()
    {
        // What keeps a bind-mounted ESP (seen at /efi and /boot/efi) from being listed twice.
        using var tree = new TempBootTree();
        tree.Write("/boot/efi/loader/entries/a.conf", "linux /vmlinuz\n").Write("/boot/efi/loader/entries/b.conf", "linux /vmlinuz\n");
        string a = tree.Root.ToHost("/boot/efi/loader/entries/a.conf");

        Assert.NotNull(FileIdentity.Of(a));
        Assert.Equal(FileIdentity.Of(a), FileIdentity.Of(tree.Root.ToHost("/boot/efi/loader/../loader/entries/a.conf")));
        Assert.NotEqual(FileIdentity.Of(a), FileIdentity.Of(tree.Root.ToHost("/boot/efi/loader/entries/b.conf")));
        Assert.Null(FileIdentity.Of(tree.Root.ToHost("/missing")));
    }
}
