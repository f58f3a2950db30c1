using System.Diagnostics;
using Rekernel.Discovery;
using Rekernel.Discovery.Uki;
using Rekernel.Images;
using Rekernel.Tests.Images;

namespace Rekernel.Tests.Discovery.Uki;

public sealed class UkiReaderTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("rekernel-uki-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private static BootRoot Fixture => new(Path.Combine(TestPaths.Fixtures, "uki"));

    private static BootEntry Entry(UkiScan scan, string id) => Assert.Single(scan.Entries, e => e.Id == id);

    [Fact]
    public void DebianUki_BuiltWithObjcopy_ReadsUnameCmdlineAndOsrelTitle()
    {
        BootEntry e = Entry(UkiReader.Read(Fixture), "debian-6.1.0-53-amd64.efi");

        Assert.Equal(BootEntrySource.Uki, e.Source);
        Assert.Equal("Debian GNU/Linux 12 (bookworm)", e.Title);
        Assert.Equal("6.1.0-53-amd64", e.Version);
        Assert.Equal("root=UUID=8a1c3d4e-2f6b-4c7d-9e0f-1a2b3c4d5e6f ro quiet", e.Cmdline);
        Assert.Equal("/efi/EFI/Linux/debian-6.1.0-53-amd64.efi", e.Kernel);
        Assert.Empty(e.Initrds);
        Assert.Equal("debian", e.SortKey);
    }

    [Fact]
    public void DebianUki_Spans_HoldTheExactKernelAndInitrdBytes()
    {
        BootEntry e = Entry(UkiReader.Read(Fixture), "debian-6.1.0-53-amd64.efi");
        byte[] uki = File.ReadAllBytes(Fixture.Resolve(e.Kernel)!);
        string boot = Path.Combine(TestPaths.Fixtures, "debian12-plain", "boot");

        Assert.Equal(File.ReadAllBytes(Path.Combine(boot, "vmlinuz-6.1.0-53-amd64")), Slice(uki, e.Uki!.Linux));
        Assert.Equal(File.ReadAllBytes(Path.Combine(boot, "initrd.img-6.1.0-53-amd64")), Slice(uki, e.Uki.Initrd!.Value));
    }

    [Fact]
    public void Uki_WithoutUnameSection_TakesVersionFromLinuxHeader()
    {
        BootEntry e = Entry(UkiReader.Read(Fixture), "arch-linux.efi");

        Assert.Equal("6.6.1-arch1-1", e.Version);
        Assert.Equal("Arch Linux", e.Title);
        Assert.Null(e.Uki!.Initrd);
    }

    [Fact]
    public void Uki_CmdlineFromAFile_LosesItsTrailingNewline()
    {
        Assert.Equal("root=/dev/nvme0n1p2 rw", Entry(UkiReader.Read(Fixture), "arch-linux.efi").Cmdline);
    }

    [Fact]
    public void StubWithoutLinuxSection_AndTextFile_AreSkippedWithDiagnostics()
    {
        UkiScan scan = UkiReader.Read(Fixture);

        Assert.Equal(["arch-linux.efi", "debian-6.1.0-53-amd64.efi"], scan.Entries.Select(e => e.Id).Order());
        Diagnostic stub = Assert.Single(scan.Diagnostics, d => d.File.EndsWith("stub-only.efi", StringComparison.Ordinal));
        Assert.Contains("no .linux section", stub.Message);
        Diagnostic text = Assert.Single(scan.Diagnostics, d => d.File.EndsWith("notes.efi", StringComparison.Ordinal));
        Assert.Contains("not a PE file", text.Message);
    }

    [Fact]
    public void EspMountedAtBootEfiAndLinkedFromEfi_ListsEachUkiOnce()
    {
        string esp = Path.Combine(_temp, "boot", "efi", "EFI", "Linux");
        Directory.CreateDirectory(esp);
        File.Copy(Path.Combine(TestPaths.Fixtures, "uki", "efi", "EFI", "Linux", "arch-linux.efi"), Path.Combine(esp, "arch-linux.efi"));
        File.CreateSymbolicLink(Path.Combine(_temp, "efi"), "boot/efi");

        UkiScan scan = UkiReader.Read(new BootRoot(_temp));

        BootEntry e = Assert.Single(scan.Entries);
        Assert.Equal("/boot/efi/EFI/Linux/arch-linux.efi", e.Kernel);
    }

    [Fact]
    public void NoEsp_FindsNothing()
    {
        UkiScan scan = UkiReader.Read(new BootRoot(_temp));

        Assert.Empty(scan.Entries);
        Assert.Empty(scan.Diagnostics);
    }

    [Fact]
    public void TruncatedUki_IsSkippedWithAReason()
    {
        string esp = Path.Combine(_temp, "efi", "EFI", "Linux");
        Directory.CreateDirectory(esp);
        BootEntry whole = Entry(UkiReader.Read(Fixture), "debian-6.1.0-53-amd64.efi");
        byte[] uki = File.ReadAllBytes(Fixture.Resolve(whole.Kernel)!);
        File.WriteAllBytes(Path.Combine(esp, "cut.efi"), uki[..(int)(whole.Uki!.Linux.Offset + 1000)]);
        File.WriteAllBytes(Path.Combine(esp, "empty.efi"), []);

        UkiScan scan = UkiReader.Read(new BootRoot(_temp));

        Assert.Empty(scan.Entries);
        Assert.Contains(scan.Diagnostics, d => d.File == "/efi/EFI/Linux/cut.efi" && d.Message.Contains("truncated", StringComparison.Ordinal));
        Assert.Contains(scan.Diagnostics, d => d.File == "/efi/EFI/Linux/empty.efi" && d.Message.Contains("empty", StringComparison.Ordinal));
    }

    [Fact]
    public void UkiWhoseLinuxSectionIsNotAKernel_IsSkipped()
    {
        string esp = Path.Combine(_temp, "efi", "EFI", "Linux");
        Directory.CreateDirectory(esp);
        File.WriteAllBytes(Path.Combine(esp, "odd.efi"), TinyPe.Build([(".osrel", "ID=x\n"u8.ToArray()), (".linux", new byte[2048])]));

        Diagnostic d = Assert.Single(UkiReader.Read(new BootRoot(_temp)).Diagnostics);

        Assert.Contains("no HdrS magic", d.Message);
    }

    [Fact]
    public void UkiWithoutOsrel_IsTitledByItsFileName()
    {
        string esp = Path.Combine(_temp, "efi", "EFI", "Linux");
        Directory.CreateDirectory(esp);
        File.WriteAllBytes(Path.Combine(esp, "bare.efi"), TinyPe.Build([(".linux", FakeKernel.Image(FakeKernel.Banner("6.12.0-1-amd64")))]));

        BootEntry e = Assert.Single(UkiReader.Read(new BootRoot(_temp)).Entries);

        Assert.Equal("bare.efi", e.Title);
        Assert.Equal("6.12.0-1-amd64", e.Version);
        Assert.Null(e.Cmdline);
    }

    [Fact]
    public void RealKernel_UkiBuiltWithMakeUki_ReadsVersionCmdlineTitleAndBootableLinuxSpan()
    {
        string esp = Path.Combine(_temp, "efi", "EFI", "Linux");
        Directory.CreateDirectory(esp);
        string initrd = Path.Combine(TestPaths.Fixtures, "debian12-plain", "boot", "initrd.img-6.1.0-53-amd64");
        MakeUki(
            "--linux", LabKernel.Vmlinuz,
            "--initrd", initrd,
            "--cmdline", "console=ttyS0 root=/dev/vda ro",
            "--os-release", Path.Combine(TestPaths.Fixtures, "debian12-plain", "usr", "lib", "os-release"),
            "--uname", LabKernel.Release,
            "--output", Path.Combine(esp, "debian-real.efi"));

        BootEntry e = Assert.Single(UkiReader.Read(new BootRoot(_temp)).Entries);

        Assert.Equal(LabKernel.Release, e.Version);
        Assert.Equal("console=ttyS0 root=/dev/vda ro", e.Cmdline);
        Assert.Equal("Debian GNU/Linux 12 (bookworm)", e.Title);
        using var uki = File.OpenRead(Path.Combine(esp, "debian-real.efi"));
        BzImageParseResult linux = BzImageHeader.Read(uki, e.Uki!.Linux.Offset, e.Uki.Linux.Length);
        Assert.True(linux.IsValid, linux.Problem);
        Assert.Equal(new FileInfo(LabKernel.Vmlinuz).Length, e.Uki.Linux.Length);
        Assert.Equal(new FileInfo(initrd).Length, e.Uki.Initrd!.Value.Length);
    }

    [Fact]
    public void RealKernel_UkiWithoutUname_TakesReleaseFromTheRealHeader()
    {
        string esp = Path.Combine(_temp, "efi", "EFI", "Linux");
        Directory.CreateDirectory(esp);
        MakeUki(
            "--linux", LabKernel.Vmlinuz,
            "--os-release", Path.Combine(TestPaths.Fixtures, "debian12-plain", "usr", "lib", "os-release"),
            "--output", Path.Combine(esp, "debian-real.efi"));

        Assert.Equal(LabKernel.Release, Assert.Single(UkiReader.Read(new BootRoot(_temp)).Entries).Version);
    }

    private static byte[] Slice(byte[] file, FileSpan span) => file.AsSpan((int)span.Offset, (int)span.Length).ToArray();

    private static void MakeUki(params string[] args)
    {
        var start = new ProcessStartInfo("sh") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Path.Combine(TestPaths.Fixtures, "make-uki.sh"));
        foreach (string a in args) start.ArgumentList.Add(a);
        using Process p = Process.Start(start)!;
        string stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"make-uki.sh failed: {stderr}");
    }
}
