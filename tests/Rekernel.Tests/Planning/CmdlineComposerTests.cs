using Rekernel.Planning;

namespace Rekernel.Tests.Planning;

public sealed class CmdlineComposerTests
{
    private static readonly CmdlineRequest NoPanic = new() { PanicTimeout = null };

    private static string Compose(string? entry, string? running, CmdlineRequest? request = null) =>
        CmdlineComposer.Compose(entry, running, request ?? NoPanic, 2048);

    [Fact]
    public void EntryWithoutCmdline_ReusesRunningMinusBootImageAndInitrd() =>
        Assert.Equal("root=UUID=abc ro quiet",
            Compose(null, "BOOT_IMAGE=/boot/vmlinuz-6.1.0-47-amd64 root=UUID=abc ro initrd=\\initrd.img quiet"));

    [Fact]
    public void EntryCmdline_WinsOverRunning() => Assert.Equal("root=/dev/sda1 ro", Compose("root=/dev/sda1 ro", "root=/dev/vda"));

    [Fact]
    public void Append_AddsArgumentsInOrder() =>
        Assert.Equal("ro quiet console=ttyS0", Compose("ro", null, NoPanic with { Append = ["quiet", "console=ttyS0"] }));

    [Fact]
    public void Remove_DropsKeyAndKeyWithValue() =>
        Assert.Equal("root=/dev/sda1 ro", Compose("root=/dev/sda1 quiet ro splash=silent quiet", null, NoPanic with { Remove = ["quiet", "splash"] }));

    [Fact]
    public void Cmdline_ReplacesEverything() =>
        Assert.Equal("root=/dev/vda console=ttyS0", Compose("root=/dev/sda1 quiet", "x", NoPanic with { Replace = "root=/dev/vda console=ttyS0" }));

    [Fact]
    public void QuotedValues_StayIntact() =>
        Assert.Equal("root=/dev/sda1 dyndbg=\"file foo.c +p\" ro",
            Compose("root=/dev/sda1 quiet dyndbg=\"file foo.c +p\"   ro", null, NoPanic with { Remove = ["quiet"] }));

    [Fact]
    public void QuotedKey_IsMatchedByRemove() =>
        Assert.Equal("ro", Compose("\"acpi_osi=Windows 2020\" ro", null, NoPanic with { Remove = ["acpi_osi"] }));

    [Fact]
    public void PanicSafetyNet_AddedWhenMissing() => Assert.Equal("ro panic=10", Compose("ro", null, new CmdlineRequest()));

    [Fact]
    public void PanicSafetyNet_UsesGivenTimeout() => Assert.Equal("ro panic=30", Compose("ro", null, new CmdlineRequest { PanicTimeout = 30 }));

    [Fact]
    public void PanicSafetyNet_KeepsExistingPanic() => Assert.Equal("ro panic=0", Compose("ro panic=0", null, new CmdlineRequest()));

    [Fact]
    public void SwitchToken_FollowsPanic() =>
        Assert.Equal("ro panic=10 rekernel.switch=0123456789ab", Compose("ro", null, new CmdlineRequest { Token = "0123456789ab" }));

    [Fact]
    public void SwitchToken_OfThePreviousSwitchOnTheReusedRunningLine_IsReplaced() =>
        Assert.Equal("root=/dev/vda rekernel.switch=0123456789ab",
            Compose(null, "BOOT_IMAGE=/vmlinuz rekernel.switch=ffffffffffff root=/dev/vda", NoPanic with { Token = "0123456789ab" }));

    [Fact]
    public void SwitchToken_IsTwelveLowercaseHexCharacters_NewEachTime()
    {
        string a = SwitchToken.New(), b = SwitchToken.New();
        Assert.Matches("^[0-9a-f]{12}$", a);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void TooLong_IsRefusedCountingTheNul()
    {
        string exactly = new('a', 2047);
        Assert.Equal(exactly, Compose(exactly, null));
        var ex = Assert.Throws<RekernelException>(() => Compose(exactly + "b", null));
        Assert.Equal(ExitCode.Refused, ex.ExitCode);
        Assert.Contains("2049 bytes including its terminating NUL", ex.Message);
        Assert.Contains("limit of 2048", ex.Message);
    }

    [Fact]
    public void NoCmdlineAnywhere_IsRefused()
    {
        var ex = Assert.Throws<RekernelException>(() => Compose(null, null));
        Assert.Equal("the boot entry has no command line and the running one (/proc/cmdline) cannot be read; give one with --cmdline.", Rekernel.Cli.FlagAdvice.Sentence(ex.Finding));
    }

    [Fact]
    public void Tokenizer_SplitsLikeTheKernel() =>
        Assert.Equal(["a", "b=\"c d\"", "\"e f\"", "g"], KernelArgs.Split("  a\tb=\"c d\" \"e f\"\ng  "));
}
