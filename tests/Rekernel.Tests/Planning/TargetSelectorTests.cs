using System.Collections.Immutable;
using Rekernel.Discovery;
using Rekernel.Planning;

namespace Rekernel.Tests.Planning;

public sealed class TargetSelectorTests
{
    private static BootEntry Entry(string id, string version, string title) => new()
    {
        Id = id, Title = title, Version = version, Kernel = $"/boot/vmlinuz-{version}",
        Initrds = [$"/boot/initrd.img-{version}"], Source = BootEntrySource.Grub,
    };

    private static readonly BootEntry New = Entry("gnulinux-6.1.0-53-amd64-advanced-x", "6.1.0-53-amd64", "Debian GNU/Linux, with Linux 6.1.0-53-amd64");
    private static readonly BootEntry NewRecovery = Entry("gnulinux-6.1.0-53-amd64-recovery-x", "6.1.0-53-amd64", "Debian GNU/Linux, with Linux 6.1.0-53-amd64 (recovery mode)");
    private static readonly BootEntry Old = Entry("gnulinux-6.1.0-47-amd64-advanced-x", "6.1.0-47-amd64", "Debian GNU/Linux, with Linux 6.1.0-47-amd64");

    private static BootInventory Inventory(BootEntry? defaultEntry) =>
        new(ImmutableArray.Create(New, NewRecovery, Old), defaultEntry, Bootloader.Grub, []);

    [Fact]
    public void Debian_NothingGiven_TakesBootloaderDefault() =>
        Assert.Same(Old, TargetSelector.Select(Inventory(Old), default));

    [Fact]
    public void Debian_Latest_TakesNewest() =>
        Assert.Same(New, TargetSelector.Select(Inventory(Old), new TargetRequest(null, Latest: true, Default: false)));

    [Fact]
    public void Debian_Version_SkipsRecoveryTwin() =>
        Assert.Same(New, TargetSelector.Select(Inventory(Old), new TargetRequest("6.1.0-53-amd64", false, false)));

    [Fact]
    public void Debian_Id_SelectsRecoveryEntry() =>
        Assert.Same(NewRecovery, TargetSelector.Select(Inventory(Old), new TargetRequest(NewRecovery.Id, false, false)));

    [Fact]
    public void Debian_Title_SelectsEntry() =>
        Assert.Same(Old, TargetSelector.Select(Inventory(New), new TargetRequest(Old.Title, false, false)));

    [Fact]
    public void KernelPath_SelectsEntry() =>
        Assert.Same(Old, TargetSelector.Select(Inventory(New), new TargetRequest("/boot/./vmlinuz-6.1.0-47-amd64", false, false)));

    [Fact]
    public void UnknownVersion_IsNotFoundListingEntries()
    {
        var ex = Assert.Throws<RekernelException>(() => TargetSelector.Select(Inventory(New), new TargetRequest("5.10.0-1-amd64", false, false)));
        Assert.Equal(ExitCode.NotFound, ex.ExitCode);
        Assert.Contains("6.1.0-47-amd64", ex.Message);
    }

    [Fact]
    public void AmbiguousVersion_IsNotFoundNamingIds()
    {
        BootEntry twin = Old with { Id = "other", Title = "Other title" };
        var inventory = new BootInventory([Old, twin], null, Bootloader.Grub, []);
        var ex = Assert.Throws<RekernelException>(() => TargetSelector.Select(inventory, new TargetRequest("6.1.0-47-amd64", false, false)));
        Assert.Equal(ExitCode.NotFound, ex.ExitCode);
        Assert.Contains("matches 2 boot entries", ex.Message);
        Assert.Contains("other", ex.Message);
    }

    [Fact]
    public void NoDefault_IsNotFoundSuggestingLatest()
    {
        var ex = Assert.Throws<RekernelException>(() => TargetSelector.Select(Inventory(null), default));
        Assert.Equal(Remedy.NameTarget, ex.Finding.Remedy);
        Assert.EndsWith("; name a TARGET or use --latest.", Rekernel.Cli.FlagAdvice.Sentence(ex.Finding));
    }

    [Fact]
    public void EmptyInventory_IsNotFound() =>
        Assert.Equal(ExitCode.NotFound, Assert.Throws<RekernelException>(() => TargetSelector.Select(new BootInventory([], null, Bootloader.None, []), default)).ExitCode);

    [Fact]
    public void LatestAndDefaultTogether_IsUsageError()
    {
        (int code, _, string err) = Cli.ReadOnlyCli.Run("load", "--dry-run", "--latest", "--default", "--root", Path.Join(TestPaths.Fixtures, "debian12"));
        Assert.Equal((int)ExitCode.Usage, code);
        Assert.Equal("rekernel: give only one of TARGET, --latest and --default.\n", err);
    }
}
