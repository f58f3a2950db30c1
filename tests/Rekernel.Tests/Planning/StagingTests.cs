using System.Text;
using Rekernel.Discovery;
using Rekernel.Images;
using Rekernel.Kexec;
using Rekernel.Planning;
using Rekernel.Tests.Fakes;
using Rekernel.Native;

namespace Rekernel.Tests.Planning;

public sealed class StagingTests
{
    private static (FakeKexecSystem Fake, bool Confirmed) Stage(TempBootTree tree, BootEntry entry, FakeKexecSystem? fake = null)
    {
        fake ??= new FakeKexecSystem();
        using OpenedImages images = OpenedImages.Open(tree.Root, entry);
        using KexecImageSet set = KexecImageSet.Assemble(images, entry.Uki, fake);
        bool confirmed = new Stager(fake).Stage(LoadPlan.For(entry, "root=UUID=abc ro"), set);
        return (fake, confirmed);
    }

    [Fact]
    public void MicrocodeAndMainInitrd_AreConcatenatedInEntryOrder()
    {
        using TempBootTree tree = DebianTree.Create();
        (FakeKexecSystem fake, bool confirmed) = Stage(tree, DebianTree.Entry("/boot/intel-ucode.img", $"/boot/initrd.img-{DebianTree.Version}"));
        Assert.True(confirmed);
        // The initrd is assembled before the old kernel is unloaded, so a failure there leaves it staged.
        Assert.Equal(["CreateMemoryFile", "Unload", "LoadFile"], fake.Calls);
        Assert.Equal(DebianTree.Kernel, fake.LoadedKernel);
        Assert.Equal("UCODEMAIN", Encoding.ASCII.GetString(fake.LoadedInitrd!));
        Assert.Equal("root=UUID=abc ro", fake.LoadedCmdline);
    }

    [Fact]
    public void SingleInitrd_IsPassedDirectly()
    {
        using TempBootTree tree = DebianTree.Create();
        (FakeKexecSystem fake, _) = Stage(tree, DebianTree.Entry());
        Assert.Equal(["Unload", "LoadFile"], fake.Calls);
        Assert.Equal("MAIN", Encoding.ASCII.GetString(fake.LoadedInitrd!));
    }

    [Fact]
    public void NoInitrd_LoadsWithoutOne()
    {
        using TempBootTree tree = DebianTree.Create();
        (FakeKexecSystem fake, _) = Stage(tree, DebianTree.Entry() with { Initrds = [] });
        Assert.Null(fake.LoadedInitrd);
    }

    [Fact]
    public void Uki_LinuxSectionIsTheKernel_AndItsInitrdComesFirst()
    {
        using TempBootTree tree = DebianTree.Create();
        tree.Text("/boot/efi/EFI/Linux/debian.efi", "PEHEADERlinuxBITSinitrdBITS");
        var entry = new BootEntry
        {
            Id = "debian.efi", Title = "Debian", Kernel = "/boot/efi/EFI/Linux/debian.efi", Source = BootEntrySource.Uki,
            Initrds = ["/boot/efi/EFI/Linux/extra.img"],
            Uki = new UkiLayout(new FileSpan(8, 9), new FileSpan(17, 10)),
        };
        tree.Text("/boot/efi/EFI/Linux/extra.img", "+EXTRA");
        (FakeKexecSystem fake, _) = Stage(tree, entry);
        Assert.Equal("linuxBITS", Encoding.ASCII.GetString(fake.LoadedKernel!));
        Assert.Equal("initrdBITS+EXTRA", Encoding.ASCII.GetString(fake.LoadedInitrd!));
    }

    [Fact]
    public void Uki_TruncatedSection_IsRefused()
    {
        using TempBootTree tree = DebianTree.Create();
        tree.Text("/boot/efi/EFI/Linux/debian.efi", "SHORT");
        var entry = new BootEntry
        {
            Id = "u", Title = "u", Kernel = "/boot/efi/EFI/Linux/debian.efi", Source = BootEntrySource.Uki,
            Uki = new UkiLayout(new FileSpan(2, 100), null),
        };
        var ex = Assert.Throws<RekernelException>(() => Stage(tree, entry));
        Assert.Contains("truncated", ex.Message);
    }

    [Fact]
    public void KernelRefusesLoad_ErrnoIsExplained()
    {
        using TempBootTree tree = DebianTree.Create();
        var fake = new FakeKexecSystem().FailOn("LoadFile", Errno.ENOEXEC);
        var ex = Assert.Throws<KexecException>(() => Stage(tree, DebianTree.Entry(), fake));
        Assert.Equal(Errno.ENOEXEC, ex.Errno);
        Assert.Contains("wrong architecture", ex.Message);
    }

    [Fact]
    public void LoadNotVisibleInSysfs_IsAnError()
    {
        using TempBootTree tree = DebianTree.Create();
        var fake = new FakeKexecSystem { LoadSetsLoaded = false };
        var ex = Assert.Throws<RekernelException>(() => Stage(tree, DebianTree.Entry(), fake));
        Assert.Equal(ExitCode.KexecFailed, ex.ExitCode);
        Assert.Contains("kexec_loaded still reads 0", ex.Message);
    }

    [Fact]
    public void UnknownLoadedState_IsUnconfirmedNotAnError()
    {
        using TempBootTree tree = DebianTree.Create();
        var fake = new FakeKexecSystem { IsLoaded = null, LoadSetsLoaded = false };
        Assert.False(Stage(tree, DebianTree.Entry(), fake).Confirmed);
    }

    [Fact]
    public void Unload_TellsWhetherSomethingWasStaged()
    {
        var fake = new FakeKexecSystem { IsLoaded = true };
        Assert.True(new Stager(fake).Unload());
        Assert.False(new Stager(fake).Unload());
    }

    [Fact]
    public void KexecTools_MissingBinary_SaysInstallKexecTools()
    {
        using TempBootTree tree = DebianTree.Create();
        var fake = new FakeKexecSystem();
        using OpenedImages images = OpenedImages.Open(tree.Root, DebianTree.Entry());
        using KexecImageSet set = KexecImageSet.Assemble(images, null, fake);
        var ex = Assert.Throws<RekernelException>(() =>
            new Stager(fake).StageWithKexecTools(LoadPlan.For(DebianTree.Entry(), "ro"), set, new KexecTools("/nonexistent/kexec"), legacySyscall: false));
        Assert.Contains("install kexec-tools", ex.Message);
    }

    [Fact]
    public void KexecTools_ArgumentsUseFileSyscallOrLegacy()
    {
        Assert.Equal(["-s", "-l", "/k", "--initrd=/i", "--command-line=ro quiet"], KexecTools.LoadArguments("/k", "/i", "ro quiet", false));
        Assert.Equal(["-c", "-l", "/k", "--command-line=ro"], KexecTools.LoadArguments("/k", null, "ro", true));
    }

    [Fact]
    public void KexecTools_EquivalentCommand_ConcatenatesSeveralInitrds()
    {
        LoadPlan plan = LoadPlan.For(DebianTree.Entry("/boot/intel-ucode.img", "/boot/initrd.img-6.1.0-53-amd64"), "root=UUID=abc ro panic=10");
        Assert.Equal(
            "cat /boot/intel-ucode.img /boot/initrd.img-6.1.0-53-amd64 > /tmp/rekernel-initrd && kexec -s -l /boot/vmlinuz-6.1.0-53-amd64 --initrd=/tmp/rekernel-initrd --command-line='root=UUID=abc ro panic=10'",
            KexecToolsCommand.For(plan, legacySyscall: false));
    }

    [Fact]
    public void KexecTools_FailingLoad_ReportsExitCodeAndReason_AndGetsTheCheckedFiles()
    {
        // A stand-in kexec that records what it was given and refuses as kexec-tools does for a file it cannot
        // parse: the real one would call kexec_file_load on this machine's kernel.
        using TempBootTree tree = DebianTree.Create();
        string bin = tree.Host("/fake-kexec");
        Directory.CreateDirectory(bin);
        string kexec = Path.Join(bin, "kexec");
        File.WriteAllText(kexec, """
            #!/bin/sh
            d=$(dirname "$0")
            printf '%s\n' "$@" > "$d/args"
            cat "$3" > "$d/kernel"
            cat "${4#--initrd=}" > "$d/initrd"
            echo "Try gzip decompression." >&2
            echo "Cannot determine the file type of $3" >&2
            exit 255
            """);
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException();
        File.SetUnixFileMode(kexec, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var fake = new FakeKexecSystem();
        using OpenedImages images = OpenedImages.Open(tree.Root, DebianTree.Entry());
        using KexecImageSet set = KexecImageSet.Assemble(images, null, fake);

        var ex = Assert.Throws<RekernelException>(() => new KexecTools(kexec).Load(set, "ro quiet", legacySyscall: false));

        Assert.Equal(ExitCode.KexecFailed, ex.ExitCode);
        string fd = $"/proc/{Environment.ProcessId}/fd/";
        Assert.Matches($"^kexec -s -l failed with exit code 255 \\(Cannot determine the file type of {fd}[0-9]+\\); see dmesg for the kernel's reason\\.$", ex.Message);
        string[] args = File.ReadAllLines(Path.Join(bin, "args"));
        Assert.Equal(5, args.Length);
        Assert.Equal(["-s", "-l"], args[..2]);
        Assert.Matches($"^{fd}[0-9]+$", args[2]);
        Assert.Matches($"^--initrd={fd}[0-9]+$", args[3]);
        Assert.Equal("--command-line=ro quiet", args[4]);
        // Through /proc/PID/fd the child read the files rekernel opened and checked.
        Assert.Equal(DebianTree.Kernel, File.ReadAllBytes(Path.Join(bin, "kernel")));
        Assert.Equal("MAIN", File.ReadAllText(Path.Join(bin, "initrd")));
        Assert.Empty(fake.Calls);
    }

    [Fact]
    public void RealKexecTools_HelpLists_TheOptionsRekernelPasses()
    {
        // Only --help: this never loads anything into the running kernel.
        const string Kexec = "/usr/sbin/kexec";
        if (!File.Exists(Kexec)) Assert.Fail($"{Kexec} is missing: install kexec-tools (apt-get install kexec-tools; `make deps` installs it).");
        var start = new System.Diagnostics.ProcessStartInfo(Kexec, ["--help"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = System.Diagnostics.Process.Start(start)!;
        string help = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
        Assert.Contains(" -s, --kexec-file-syscall", help);
        Assert.Contains(" -c, --kexec-syscall", help);
        Assert.Contains(" -l, --load", help);
        Assert.Contains(" -u, --unload", help);
        Assert.Contains("--initrd=FILE", help);
        Assert.Contains("--command-line=STRING", help);
    }
}
