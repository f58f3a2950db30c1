using Rekernel.Discovery;
using Rekernel.Discovery.BootDir;
using Rekernel.Tests.Images;

namespace Rekernel.Tests.Discovery.BootDir;

public sealed class BootDirReaderTests : IDisposable
{
    private static readonly HashSet<string> None = [];
    private readonly string _temp = Directory.CreateTempSubdirectory("rekernel-bootdir-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private static BootRoot FixtureRoot(string name) => new(Path.Combine(TestPaths.Fixtures, name));

    private string Boot(string name) => Path.Combine(_temp, "boot", name);

    private void Kernel(string name, string release) => FakeKernel.Write(Boot(name), release);

    private void WriteBytes(string name, byte[] content)
    {
        Directory.CreateDirectory(Path.Combine(_temp, "boot"));
        File.WriteAllBytes(Boot(name), content);
    }

    private void File_(string name, string content = "x")
    {
        Directory.CreateDirectory(Path.Combine(_temp, "boot"));
        File.WriteAllText(Boot(name), content);
    }

    private BootDirScan Scan(IReadOnlySet<string>? referenced = null) => BootDirReader.Read(new BootRoot(_temp), referenced ?? None);

    [Fact]
    public void Debian12_PlainBoot_ListsBothKernelsWithTheirInitrds()
    {
        BootDirScan scan = BootDirReader.Read(FixtureRoot("debian12-plain"), None);

        Assert.Empty(scan.Diagnostics);
        Assert.Equal(["bootdir-vmlinuz-6.1.0-47-amd64", "bootdir-vmlinuz-6.1.0-53-amd64"], scan.Entries.Select(e => e.Id));
        BootEntry newest = scan.Entries[1];
        Assert.Equal("Linux 6.1.0-53-amd64", newest.Title);
        Assert.Equal("6.1.0-53-amd64", newest.Version);
        Assert.Equal("/boot/vmlinuz-6.1.0-53-amd64", newest.Kernel);
        Assert.Equal(["/boot/initrd.img-6.1.0-53-amd64"], newest.Initrds.ToArray());
        Assert.Null(newest.Cmdline);
        Assert.Equal(BootEntrySource.BootDir, newest.Source);
    }

    [Fact]
    public void Debian12_KernelABootloaderAlreadyLists_IsLeftOut()
    {
        BootDirScan scan = BootDirReader.Read(FixtureRoot("debian12-plain"), new HashSet<string> { "/boot/vmlinuz-6.1.0-53-amd64" });

        Assert.Equal(["bootdir-vmlinuz-6.1.0-47-amd64"], scan.Entries.Select(e => e.Id));
    }

    [Fact]
    public void Arch_VmlinuzLinux_TakesVersionFromHeader_AndLoadsMicrocodeFirst()
    {
        BootDirScan scan = BootDirReader.Read(FixtureRoot("arch-plain"), None);

        BootEntry e = Assert.Single(scan.Entries);
        Assert.Equal("bootdir-vmlinuz-linux", e.Id);
        Assert.Equal("6.6.1-arch1-1", e.Version);
        Assert.Equal("Linux 6.6.1-arch1-1", e.Title);
        Assert.Equal(["/boot/intel-ucode.img", "/boot/initramfs-linux.img"], e.Initrds.ToArray());
    }

    [Fact]
    public void Arch_LtsAndZenKernels_PairWithTheirOwnInitramfs_NeverTheFallback()
    {
        Kernel("vmlinuz-linux-lts", "6.1.62-1-lts");
        Kernel("vmlinuz-linux-zen", "6.6.1-zen1-1-zen");
        File_("initramfs-linux-lts.img");
        File_("initramfs-linux-lts-fallback.img");
        File_("initramfs-linux-zen-fallback.img");
        File_("amd-ucode.img");
        File_("intel-ucode.img");

        BootDirScan scan = Scan();

        BootEntry lts = Assert.Single(scan.Entries, e => e.Id == "bootdir-vmlinuz-linux-lts");
        Assert.Equal("6.1.62-1-lts", lts.Version);
        Assert.Equal(["/boot/intel-ucode.img", "/boot/amd-ucode.img", "/boot/initramfs-linux-lts.img"], lts.Initrds.ToArray());
        BootEntry zen = Assert.Single(scan.Entries, e => e.Id == "bootdir-vmlinuz-linux-zen");
        Assert.Equal(["/boot/intel-ucode.img", "/boot/amd-ucode.img"], zen.Initrds.ToArray());
    }

    [Fact]
    public void Manjaro_VersionNamedKernelOnAnArchLikeSystem_StillGetsMicrocode()
    {
        Kernel("vmlinuz-6.6-x86_64", "6.6.1-1-MANJARO");
        File_("initramfs-6.6-x86_64.img");
        File_("intel-ucode.img");
        Directory.CreateDirectory(Path.Combine(_temp, "etc"));
        File.WriteAllText(Path.Combine(_temp, "etc", "os-release"), "NAME=\"Manjaro Linux\"\nID=manjaro\nID_LIKE=arch\n");

        BootEntry e = Assert.Single(Scan().Entries);

        Assert.Equal("6.6.1-1-MANJARO", e.Version);
        Assert.Equal(["/boot/intel-ucode.img", "/boot/initramfs-6.6-x86_64.img"], e.Initrds.ToArray());
    }

    [Fact]
    public void Rhel9_InitramfsNaming_AndRescueKernelTitledRescue()
    {
        Kernel("vmlinuz-5.14.0-362.8.1.el9_3.x86_64", "5.14.0-362.8.1.el9_3.x86_64");
        File_("initramfs-5.14.0-362.8.1.el9_3.x86_64.img");
        File_(".vmlinuz-5.14.0-362.8.1.el9_3.x86_64.hmac");
        File_("intel-ucode.img"); // not Arch: RHEL's dracut puts microcode inside the initramfs
        Kernel("vmlinuz-0-rescue-3f2a9c1e8b7d4e5fa1b2c3d4e5f60718", "5.14.0-284.11.1.el9_2.x86_64");
        File_("initramfs-0-rescue-3f2a9c1e8b7d4e5fa1b2c3d4e5f60718.img");

        BootDirScan scan = Scan();

        BootEntry rhel = Assert.Single(scan.Entries, e => e.Id == "bootdir-vmlinuz-5.14.0-362.8.1.el9_3.x86_64");
        Assert.Equal(["/boot/initramfs-5.14.0-362.8.1.el9_3.x86_64.img"], rhel.Initrds.ToArray());
        BootEntry rescue = Assert.Single(scan.Entries, e => e.Id.Contains("rescue", StringComparison.Ordinal));
        Assert.Equal("Linux 5.14.0-284.11.1.el9_2.x86_64 (rescue)", rescue.Title);
        Assert.Equal(["/boot/initramfs-0-rescue-3f2a9c1e8b7d4e5fa1b2c3d4e5f60718.img"], rescue.Initrds.ToArray());
    }

    [Theory]
    [InlineData("initrd-6.1.0-1", "/boot/initrd-6.1.0-1")]
    [InlineData("initrd-6.1.0-1.img", "/boot/initrd-6.1.0-1.img")]
    public void OtherInitrdNamings_ArePaired(string initrd, string expected)
    {
        Kernel("vmlinuz-6.1.0-1", "6.1.0-1");
        File_(initrd);

        Assert.Equal([expected], Assert.Single(Scan().Entries).Initrds.ToArray());
    }

    [Fact]
    public void KernelWithoutInitrd_IsListedWithNone()
    {
        Kernel("bzImage-6.8.0", "6.8.0");

        BootEntry e = Assert.Single(Scan().Entries);
        Assert.Empty(e.Initrds.ToArray());
        Assert.Equal("6.8.0", e.Version);
    }

    [Fact]
    public void LeftoversAndSignatures_AreNotKernels()
    {
        Kernel("vmlinuz-6.1.0-47-amd64.old", "6.1.0-47-amd64");
        Kernel("vmlinuz-6.1.0-53-amd64.dpkg-tmp", "6.1.0-53-amd64");
        Kernel("vmlinuz-6.1.0-53-amd64.sig", "6.1.0-53-amd64");
        Kernel("vmlinuz", "6.1.0-53-amd64");
        Kernel("vmlinuz.old", "6.1.0-47-amd64");

        BootDirScan scan = Scan();

        Assert.Empty(scan.Entries);
        Assert.Empty(scan.Diagnostics);
    }

    [Fact]
    public void SymlinkToAnotherKernel_IsListedOnceUnderTheRealName()
    {
        Kernel("vmlinuz-6.6.1-lts", "6.6.1-lts");
        File.CreateSymbolicLink(Boot("vmlinuz-lts"), "vmlinuz-6.6.1-lts");

        BootEntry e = Assert.Single(Scan().Entries);
        Assert.Equal("/boot/vmlinuz-6.6.1-lts", e.Kernel);
    }

    [Fact]
    public void ReferencedKernel_IsMatchedByItsCanonicalPath()
    {
        Kernel("vmlinuz-6.6.1", "6.6.1");
        Directory.CreateDirectory(Path.Combine(_temp, "mnt"));
        File.CreateSymbolicLink(Path.Combine(_temp, "mnt", "boot"), "../boot");

        Assert.Empty(Scan(new HashSet<string> { new BootRoot(_temp).ResolveInRoot("/mnt/boot/vmlinuz-6.6.1")! }).Entries);
    }

    [Fact]
    public void GarbageEmptyAndDirectoryKernels_AreSkippedWithReasons()
    {
        File_("vmlinuz-6.2.0-broken", "not a kernel at all, just some text that is long enough ... ".PadRight(1024, '.'));
        File_("vmlinuz-6.3.0", "");
        Directory.CreateDirectory(Boot("vmlinuz-6.4.0"));

        BootDirScan scan = Scan();

        Assert.Empty(scan.Entries);
        Assert.Contains(scan.Diagnostics, d => d.File == "/boot/vmlinuz-6.2.0-broken" && d.Message.Contains("no HdrS magic", StringComparison.Ordinal));
        Assert.Contains(scan.Diagnostics, d => d.File == "/boot/vmlinuz-6.3.0" && d.Message.Contains("empty", StringComparison.Ordinal));
        Assert.Equal(2, scan.Diagnostics.Length);
    }

    [Fact]
    public void KernelWithUnreadableVersion_FallsBackToTheReleaseInItsName()
    {
        byte[] image = FakeKernel.Image(FakeKernel.Banner("6.1.0"));
        image[0x20E] = 0;
        image[0x20F] = 0; // no version pointer
        Directory.CreateDirectory(Path.Combine(_temp, "boot"));
        File.WriteAllBytes(Boot("vmlinuz-6.1.0-9-amd64"), image);

        Assert.Equal("6.1.0-9-amd64", Assert.Single(Scan().Entries).Version);
    }

    [Fact]
    public void NoBootDirectory_FindsNothing()
    {
        Assert.Empty(Scan().Entries);
    }

    [Fact]
    public void ArchLinuxArm_ImageAndImageGz_ListsTheImageOnce_WithReleaseFromItsBanner()
    {
        WriteBytes("Image", FakeArm64Kernel.Image("6.12.10-1-aarch64-ARCH"));
        WriteBytes("Image.gz", CompressedKernel.Gzip(FakeArm64Kernel.Image("6.12.10-1-aarch64-ARCH")));
        File_("initramfs-linux.img", "I");
        File_("initramfs-linux-fallback.img", "F");

        BootDirScan scan = Scan();

        Assert.Empty(scan.Diagnostics);
        BootEntry e = Assert.Single(scan.Entries);
        Assert.Equal("bootdir-Image", e.Id);
        Assert.Equal("6.12.10-1-aarch64-ARCH", e.Version);
        Assert.Equal(["/boot/initramfs-linux.img"], [.. e.Initrds]);
    }

    [Fact]
    public void ArchLinuxArm_ImageGzAlone_TakesReleaseFromTheDecompressedImage()
    {
        WriteBytes("Image.gz", CompressedKernel.Gzip(FakeArm64Kernel.Image("6.12.10-1-aarch64-ARCH")));
        File_("initramfs-linux.img", "I");

        BootEntry e = Assert.Single(Scan().Entries);

        Assert.Equal("/boot/Image.gz", e.Kernel);
        Assert.Equal("6.12.10-1-aarch64-ARCH", e.Version);
    }

    [Fact]
    public void DebianArm64_VmlinuzIsAnImage_IsListedWithItsInitrd()
    {
        WriteBytes("vmlinuz-6.1.0-53-arm64", FakeArm64Kernel.Image("6.1.0-53-arm64"));
        File_("initrd.img-6.1.0-53-arm64", "I");

        BootEntry e = Assert.Single(Scan().Entries);

        Assert.Equal("6.1.0-53-arm64", e.Version);
        Assert.Equal(["/boot/initrd.img-6.1.0-53-arm64"], [.. e.Initrds]);
    }
}
