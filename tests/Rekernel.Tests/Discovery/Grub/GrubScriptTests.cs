using System.Diagnostics;
using System.Text;
using Rekernel.Discovery;
using Rekernel.Discovery.Bls;
using Rekernel.Discovery.Grub;

namespace Rekernel.Tests.Discovery.Grub;

/// <summary>Hand-written configurations in a temporary root: default forms, path mapping, and broken input.</summary>
public sealed class GrubScriptTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rekernel-grub-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private void Write(string pathInRoot, string text)
    {
        string host = Path.Combine(_dir, pathInRoot.TrimStart('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(host)!);
        File.WriteAllText(host, text);
    }

    private GrubMenu Read(string cfg, GrubEnv? env = null, string at = "/boot/grub/grub.cfg")
    {
        Write(at, cfg);
        return GrubReader.Read(new BootRoot(_dir), env ?? GrubEnv.Empty, BlsScan.Empty)!;
    }

    private static string Entry(string title, string version, string id = "") =>
        $"menuentry '{title}' {(id.Length > 0 ? "--id " + id : "")} {{\n  linux /boot/vmlinuz-{version} root=/dev/sda1 ro\n  initrd /boot/initrd.img-{version}\n}}\n";

    private const string Menu3 = "submenu 'More' --id more {\n  menuentry 'Old' --id old { linux /boot/vmlinuz-1 }\n  menuentry 'Older' --id older { linux /boot/vmlinuz-0 }\n}\n";

    [Theory]
    [InlineData("1", "b")]
    [InlineData("'Entry C'", "c")]
    [InlineData("c", "c")]
    [InlineData("2>1", "older")]
    [InlineData("'More>Old'", "old")]
    [InlineData("more>older", "older")]
    [InlineData("'More>older'", "older")]
    [InlineData("7", "a")]
    [InlineData("'No such entry'", "a")]
    public void Default_ByIndexTitleIdOrSubmenuPath_SelectsThatEntry(string value, string expectedId)
    {
        GrubMenu menu = Read($"set default={value}\n" + Entry("Entry A", "3", "a") + Entry("Entry B", "2", "b") + Menu3 + Entry("Entry C", "4", "c"));
        Assert.Equal(expectedId, menu.DefaultEntry?.Id);
    }

    [Fact]
    public void Default_TitleWithEscapedGreaterThan_MatchesLiterally()
    {
        GrubMenu menu = Read("set default='A>>B'\n" + Entry("x", "1", "x") + Entry("A>B", "2", "ab"));
        Assert.Equal("ab", menu.DefaultEntry?.Id);
    }

    [Fact]
    public void EntryWithoutId_HasTheTitlePathAsId()
    {
        GrubMenu menu = Read("submenu 'Sub' {\n" + Entry("Inner", "5.10.0-30-amd64") + "}\n");
        Assert.Equal("Sub>Inner", Assert.Single(menu.Entries).Id);
        Assert.Equal("5.10.0-30-amd64", menu.Entries[0].Version);
    }

    [Fact]
    public void BootPartition_KernelRelativeToIt_MapsUnderBootWhereTheFileIs()
    {
        Write("/boot/vmlinuz-6.1", "");
        Write("/boot/initrd.img-6.1", "");
        GrubMenu menu = Read("menuentry 'x' {\n linux ($root)/vmlinuz-6.1 ro\n initrd /initrd.img-6.1 /missing.img\n}\n", at: "/boot/grub/grub.cfg");
        BootEntry e = Assert.Single(menu.Entries);
        Assert.Equal("/boot/vmlinuz-6.1", e.Kernel);
        Assert.Equal<string>(["/boot/initrd.img-6.1", "/boot/missing.img"], e.Initrds);
    }

    [Fact]
    public void KernelAtTheRootOfTheFileSystem_IsKeptWhereItExists()
    {
        Write("/vmlinuz", "");
        GrubMenu menu = Read("menuentry 'x' { linux /vmlinuz ro }\n");
        Assert.Equal("/vmlinuz", Assert.Single(menu.Entries).Kernel);
        Assert.Null(menu.Entries[0].Version);
    }

    [Fact]
    public void Variables_ConditionsAndFunctions_DecideTheEntries()
    {
        const string cfg = """
            if [ x"${feature_menuentry_id}" = xy ]; then
              menuentry_id_option="--id"
            fi
            set opts="ro  quiet"
            kver=6.2
            function pick {
              if [ x"${1}" = xy -a -n "$kver" ]; then set picked=yes; else set picked=no; fi
            }
            pick y
            if [ "$picked" != yes ]; then
              menuentry 'wrong' { linux /boot/vmlinuz-wrong }
            elif test -z "$nothing"; then
              menuentry "Linux $kver" --class os $menuentry_id_option "id-$kver" {
                linux /boot/vmlinuz-$kver $opts "a b" 'c"d' ${picked}
              }
            fi
            """;
        GrubMenu menu = Read(cfg);
        BootEntry e = Assert.Single(menu.Entries);
        Assert.Equal("Linux 6.2", e.Title);
        Assert.Equal("id-6.2", e.Id);
        Assert.Equal("ro quiet \"a b\" c\\\"d yes", e.Cmdline);
    }

    [Fact]
    public void LoadEnv_FromFile_AndSourceOfAnotherFile()
    {
        Write("/boot/grub/custom.cfg", Entry("Custom", "9", "custom"));
        Write("/boot/grub/other.env", "# GRUB Environment Block\nwanted=custom\n");
        GrubMenu menu = Read("load_env -f $prefix/other.env\nset default=\"$wanted\"\n" + Entry("First", "1", "first") +
            "if [ -f $prefix/custom.cfg ]; then source $prefix/custom.cfg; fi\n");
        Assert.Equal(["first", "custom"], menu.Entries.Select(e => e.Id));
        Assert.Equal("custom", menu.DefaultEntry?.Id);
    }

    [Fact]
    public void EfiStub_ConfigfileToTheBootCopy_IsFollowed()
    {
        Write("/boot/grub2/grub.cfg", Entry("Real", "5", "real"));
        Write("/sys/firmware/efi/.keep", "");
        GrubMenu menu = Read("search --no-floppy --fs-uuid --set=dev 1234-abcd\nset prefix=($dev)/grub2\nexport $prefix\nconfigfile $prefix/grub.cfg\n",
            at: "/boot/efi/EFI/fedora/grub.cfg");
        BootEntry real = Assert.Single(menu.Entries);
        Assert.Equal("real", real.Id);
        Assert.StartsWith("/boot/grub2/grub.cfg:", real.Origin);
    }

    [Fact]
    public void NoGrubConfig_ReturnsNull()
    {
        Assert.Null(GrubReader.Read(new BootRoot(_dir), GrubEnv.Empty, BlsScan.Empty));
    }

    [Fact]
    public void UnterminatedQuote_IsReported_AndTheOtherEntriesAreListed()
    {
        GrubMenu menu = Read(Entry("Good 1", "1", "g1") + "menuentry \"Broken {\n  linux /boot/vmlinuz-2\n}\n" + Entry("Good 3", "3", "g3"));
        Assert.Equal(["g1", "g3"], menu.Entries.Select(e => e.Id));
        Assert.Contains(menu.Diagnostics, d => d.File == "/boot/grub/grub.cfg" && d.Line == 5 && d.Message.Contains("unterminated quote"));
    }

    [Fact]
    public void MissingFi_InsideAnEntry_SkipsThatEntryOnly()
    {
        GrubMenu menu = Read(Entry("Good 1", "1", "g1") + "menuentry 'Bad' --id bad {\n  if [ a = a ]; then\n  linux /boot/vmlinuz-2\n}\n" + Entry("Good 3", "3", "g3"));
        Assert.Equal(["g1", "g3"], menu.Entries.Select(e => e.Id));
        Assert.Contains(menu.Diagnostics, d => d.Line == 6 && d.Message.Contains("'fi'"));
        Assert.Contains(menu.Diagnostics, d => d.Line == 5 && d.Message.Contains("skipped"));
    }

    [Fact]
    public void MissingFi_AtTheEnd_IsReported_AndEntriesInsideAreStillRead()
    {
        GrubMenu menu = Read(Entry("Good 1", "1", "g1") + "if [ -s $prefix/grubenv ]; then\n" + Entry("Good 2", "2", "g2"));
        Assert.Equal(["g1", "g2"], menu.Entries.Select(e => e.Id));
        Assert.Contains(menu.Diagnostics, d => d.Line == 5 && d.Message.Contains("'fi'"));
    }

    [Fact]
    public void UnbalancedBraces_AreReported_AndTheOtherEntriesAreListed()
    {
        GrubMenu menu = Read(Entry("Good 1", "1", "g1") + "}\nmenuentry 'Open' --id open {\n  linux /boot/vmlinuz-2\n" + Entry("Good 3", "3", "g3"));
        Assert.Contains("g1", menu.Entries.Select(e => e.Id));
        Assert.Contains("g3", menu.Entries.Select(e => e.Id));
        Assert.DoesNotContain("open", menu.Entries.Select(e => e.Id));
        Assert.Contains(menu.Diagnostics, d => d.Line == 5 && d.Message.Contains("unexpected '}'"));
        Assert.Contains(menu.Diagnostics, d => d.Line == 6 && d.Message.Contains("'}'"));
    }

    [Theory]
    [InlineData("if true; then\n", "fi\n")]
    [InlineData("submenu 'deep' {\n", "}\n")]
    [InlineData("{\n", "}\n")]
    public void TenThousandDeepNesting_IsReported_InBoundedTime(string open, string close)
    {
        var sb = new StringBuilder(Entry("Good 1", "1", "g1"));
        for (int i = 0; i < 10_000; i++) sb.Append(open);
        for (int i = 0; i < 10_000; i++) sb.Append(close);
        sb.Append(Entry("Good 2", "2", "g2"));
        var watch = Stopwatch.StartNew();
        GrubMenu menu = Read(sb.ToString());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
        Assert.Equal(["g1", "g2"], menu.Entries.Select(e => e.Id));
        // The entry takes 4 lines; the 65th opening, on line 69, is the first deeper than the 64 levels kept.
        Assert.Contains(menu.Diagnostics, d => d.Line == 69 && d.Message == "blocks nested deeper than 64 levels are skipped");
    }

    [Fact]
    public void TenThousandDeepUnclosedNesting_IsReported_InBoundedTime()
    {
        var sb = new StringBuilder(Entry("Good 1", "1", "g1"));
        for (int i = 0; i < 10_000; i++) sb.Append("submenu 'x' {\nif true; then\n");
        var watch = Stopwatch.StartNew();
        GrubMenu menu = Read(sb.ToString());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
        Assert.Equal("g1", Assert.Single(menu.Entries).Id);
        Assert.NotEmpty(menu.Diagnostics);
    }

    [Fact]
    public void FiveMegabyteFile_IsCutAtTheLimit_WithADiagnostic()
    {
        var sb = new StringBuilder(Entry("Good 1", "1", "g1"));
        string line = "# " + new string('x', 98) + "\n";
        while (sb.Length < 5 * 1024 * 1024) sb.Append(line);
        sb.Append(Entry("Beyond", "2", "beyond"));
        var watch = Stopwatch.StartNew();
        GrubMenu menu = Read(sb.ToString());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
        Assert.Equal("g1", Assert.Single(menu.Entries).Id);
        Diagnostic d = Assert.Single(menu.Diagnostics);
        Assert.True(d.Line > 4);
        Assert.Contains("larger than", d.Message);
    }

    [Fact]
    public void RecursiveFunctions_AndSelfSourcing_StopAtTheirLimits()
    {
        Write("/boot/grub/loop.cfg", "source /boot/grub/loop.cfg\n");
        GrubMenu menu = Read("function f { f; f; }\nf\nsource /boot/grub/loop.cfg\n" + Entry("Good", "1", "g"));
        Assert.Equal("g", Assert.Single(menu.Entries).Id);
        Assert.Contains(menu.Diagnostics, d => d.Message.Contains("function f"));
        Assert.Contains(menu.Diagnostics, d => d.Message.Contains("included more than"));
    }

    [Fact]
    public void BlsVercmp_OrdersLikeRpm()
    {
        Assert.True(GrubBlsOrder.VerCmp("4.18.0-372.9.1.el8", "4.18.0-348.el8") > 0);
        Assert.True(GrubBlsOrder.VerCmp("1.0~rc1", "1.0") < 0);
        Assert.True(GrubBlsOrder.VerCmp("1.0+p1", "1.0") > 0);
        Assert.True(GrubBlsOrder.VerCmp("1.0a", "1.0.1") < 0);
        Assert.Equal(0, GrubBlsOrder.VerCmp("1.001", "1.1"));
    }

    [Fact]
    public void ForLoop_MenuEntriesMadeInALoop_AreAllListed_EachWithItsPositionalArgument()
    {
        GrubMenu menu = Read("""
            for v in 6.1.0-53-amd64 6.1.0-47-amd64; do
              menuentry "Debian GNU/Linux, with Linux $v" --id "gnulinux-$v" "$v" {
                linux /boot/vmlinuz-$2 root=/dev/vda1 ro
              }
            done
            """);
        Assert.Empty(menu.Diagnostics);
        Assert.Equal(["gnulinux-6.1.0-53-amd64", "gnulinux-6.1.0-47-amd64"], menu.Entries.Select(e => e.Id));
        Assert.Equal(["/boot/vmlinuz-6.1.0-53-amd64", "/boot/vmlinuz-6.1.0-47-amd64"], menu.Entries.Select(e => e.Kernel));
        Assert.Equal(["6.1.0-53-amd64", "6.1.0-47-amd64"], menu.Entries.Select(e => e.Version));
    }

    [Fact]
    public void ForLoop_EntryBodyNamingTheLoopVariable_SeesItsLastValue_AsGrubRunsBodiesWhenChosen()
    {
        GrubMenu menu = Read("for v in 6.1.0-53-amd64 6.1.0-47-amd64; do\n menuentry \"Linux $v\" { linux /boot/vmlinuz-$v ro }\ndone\n");
        Assert.Equal(["Linux 6.1.0-53-amd64", "Linux 6.1.0-47-amd64"], menu.Entries.Select(e => e.Title));
        Assert.All(menu.Entries, e => Assert.Equal("/boot/vmlinuz-6.1.0-47-amd64", e.Kernel));
    }

    [Fact]
    public void EntryBody_SeesVariablesAsTheScriptLeftThem()
    {
        GrubMenu menu = Read("set k=6.1.0-47-amd64\nmenuentry 'x' { linux /boot/vmlinuz-$k ro }\nset k=6.1.0-53-amd64\n");
        Assert.Equal("/boot/vmlinuz-6.1.0-53-amd64", Assert.Single(menu.Entries).Kernel);
    }

    [Fact]
    public void WhileLoop_WithBreak_StopsWhereGrubStops()
    {
        GrubMenu menu = Read("""
            set n=0
            while [ "$n" != 0xxxx ]; do
              set n="${n}x"
              if [ "$n" = 0xxx ]; then break; fi
              menuentry "e$n" { linux /boot/vmlinuz-6.1.0-53-amd64 }
            done
            until [ "$n" = 0xxxxx ]; do set n="${n}x"; continue; menuentry never { linux /x }; done
            menuentry "after $n" { linux /boot/vmlinuz-6.1.0-53-amd64 }
            """);
        Assert.Equal(["e0x", "e0xx", "after 0xxxxx"], menu.Entries.Select(e => e.Title));
    }

    [Fact]
    public void RunawayWhileLoop_IsStoppedWithADiagnostic_AndTheEntriesAfterItAreRead()
    {
        GrubMenu menu = Read("while true; do true; done\nmenuentry 'after' { linux /boot/vmlinuz-6.1.0-53-amd64 }\n");
        Assert.Equal("after", Assert.Single(menu.Entries).Title);
        Assert.Contains(menu.Diagnostics, d => d.Line == 1 && d.Message.Contains("runaway", StringComparison.Ordinal));
    }

    [Fact]
    public void MenuInAnotherFormat_IsNamedWithFileAndLine_NeverASilentlyShorterMenu()
    {
        GrubMenu menu = Read("menuentry 'a' { linux /boot/vmlinuz-6.1.0-53-amd64 }\nsyslinux_configfile /isolinux/isolinux.cfg\n");
        Assert.Single(menu.Entries);
        Diagnostic d = Assert.Single(menu.Diagnostics);
        Assert.Equal("/boot/grub/grub.cfg:2: 'syslinux_configfile' reads a menu in another format, which rekernel does not interpret; the entries it adds are not listed", d.ToString());
    }

    [Fact]
    public void Eval_RunsItsTextAsScript()
    {
        GrubMenu menu = Read("eval \"menuentry 'from eval' { linux /boot/vmlinuz-6.1.0-53-amd64 }\"\n");
        Assert.Equal("from eval", Assert.Single(menu.Entries).Title);
    }

    private const string SearchChoice = "set root=hd0,gpt2\nif search --no-floppy {0} --set=root {1}; then\n menuentry found {{ linux /boot/vmlinuz-6.1.0-53-amd64 }}\nelse\n menuentry missed {{ linux /boot/vmlinuz-6.1.0-47-amd64 }}\nfi\nmenuentry \"root $root\" {{ linux /boot/vmlinuz-6.1.0-47-amd64 }}\n";

    [Fact]
    public void Search_FsUuidTheLiveMachineLacks_FailsAndLeavesRootUnchanged()
    {
        Write("/dev/disk/by-uuid/0b5c7d3e-52c6-4d3c-9f3a-5a8c1e6f2b41", "");
        GrubMenu menu = Read(string.Format(System.Globalization.CultureInfo.InvariantCulture, SearchChoice, "--fs-uuid", "5e2d8c4a-7b1f-4e39-a6c2-9d0e8f1b3a57"));
        Assert.Equal(["missed", "root hd0,gpt2"], menu.Entries.Select(e => e.Title));
        Assert.Empty(menu.Diagnostics);
    }

    [Fact]
    public void Search_FsUuidInFstab_IsFound()
    {
        Write("/etc/fstab", "UUID=5E2D8C4A-7B1F-4E39-A6C2-9D0E8F1B3A57 /boot xfs defaults 0 0\n");
        GrubMenu menu = Read(string.Format(System.Globalization.CultureInfo.InvariantCulture, SearchChoice, "--fs-uuid", "5e2d8c4a-7b1f-4e39-a6c2-9d0e8f1b3a57"));
        Assert.Equal(["found", "root 5e2d8c4a-7b1f-4e39-a6c2-9d0e8f1b3a57"], menu.Entries.Select(e => e.Title));
    }

    [Fact]
    public void Search_LabelWithSpaces_MatchesUdevsEscapedByLabelLink()
    {
        Write("/dev/disk/by-label/CentOS\\x207\\x20x86_64", "");
        GrubMenu menu = Read(string.Format(System.Globalization.CultureInfo.InvariantCulture, SearchChoice, "--label", "'CentOS 7 x86_64'"));
        Assert.Equal("found", menu.Entries[0].Title);
    }

    [Theory]
    [InlineData("/boot/grub/grub.cfg", "found")]
    [InlineData("/boot/no-such-file", "missed")]
    public void Search_File_IsLookedUpInTheTree(string file, string expected)
    {
        GrubMenu menu = Read(string.Format(System.Globalization.CultureInfo.InvariantCulture, SearchChoice, "--file", file));
        Assert.Equal(expected, menu.Entries[0].Title);
    }

    [Fact]
    public void Search_TreeThatCannotTell_IsTakenAsFound_AndSaysSo()
    {
        GrubMenu menu = Read(string.Format(System.Globalization.CultureInfo.InvariantCulture, SearchChoice, "--fs-uuid", "5e2d8c4a-7b1f-4e39-a6c2-9d0e8f1b3a57"));
        Assert.Equal("found", menu.Entries[0].Title);
        Diagnostic d = Assert.Single(menu.Diagnostics);
        Assert.Equal("/boot/grub/grub.cfg:2: search --fs-uuid 5e2d8c4a-7b1f-4e39-a6c2-9d0e8f1b3a57: the tree does not show whether the machine has it (no UUID= line in /etc/fstab, no /dev/disk/by-uuid); taken as found", d.ToString());
    }

    private const string InstallMediaEntry = "menuentry 'Install CentOS 7' {\n linux /boot/vmlinuz-3.10.0-1160.el7.x86_64 inst.stage2=hd:LABEL=CentOS\\x207\\x20x86_64 quiet\n}\n";

    [Fact]
    public void Centos7_HexEscapesInTheCommandLine_AreKept_AsRedHatsGrubKeepsThem()
    {
        Write("/etc/os-release", "NAME=\"CentOS Linux\"\nID=\"centos\"\nID_LIKE=\"rhel fedora\"\n");
        GrubMenu menu = Read(InstallMediaEntry, at: "/boot/grub2/grub.cfg");
        Assert.Equal("inst.stage2=hd:LABEL=CentOS\\x207\\x20x86_64 quiet", Assert.Single(menu.Entries).Cmdline);
    }

    [Fact]
    public void Debian_HexEscapesInTheCommandLine_LoseTheirBackslash_AsUpstreamGrubDrops()
    {
        Write("/etc/os-release", "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\n");
        GrubMenu menu = Read(InstallMediaEntry);
        Assert.Equal("inst.stage2=hd:LABEL=CentOSx207x20x86_64 quiet", Assert.Single(menu.Entries).Cmdline);
    }

    [Theory]
    [InlineData("/boot/grub2/grub.cfg", GrubFlavor.RedHat)]
    [InlineData("/boot/efi/EFI/rocky/grub.cfg", GrubFlavor.RedHat)]
    [InlineData("/boot/grub/grub.cfg", GrubFlavor.Upstream)]
    public void Flavor_WithoutOsRelease_FollowsWhereTheConfigurationLives(string config, GrubFlavor expected) =>
        Assert.Equal(expected, GrubReader.FlavorOf(new BootRoot(_dir), config));
}
