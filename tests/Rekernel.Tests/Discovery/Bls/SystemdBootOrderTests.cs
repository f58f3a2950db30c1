using Rekernel.Discovery;
using Rekernel.Discovery.Bls;

namespace Rekernel.Tests.Discovery.Bls;

public sealed class SystemdBootOrderTests
{
    private static BootEntry Entry(string id, string? sortKey = null, string? machineId = null, string? version = null,
        int? triesLeft = null, BootEntrySource source = BootEntrySource.Bls) => new()
        {
            Id = id,
            Title = id,
            Kernel = "/boot/vmlinuz",
            Source = source,
            SortKey = sortKey,
            MachineId = machineId,
            Version = version,
            TriesLeft = triesLeft,
            TriesDone = triesLeft is null ? null : 0,
        };

    [Fact]
    public void MixedEntries_SortedAsSystemdBootShowsThem()
    {
        // Hand-checked against boot_entry_compare(): exhausted entries last; sort-key entries first, by
        // sort-key, then machine-id, then newest version; then entries without sort-key by id, newest first.
        BootEntry[] entries =
        [
            Entry("linux-5.9"),
            Entry("fedora-a", "fedora", "m1", "6.5.6-300.fc39.x86_64"),
            Entry("exhausted", "aaa", triesLeft: 0),
            Entry("linux-5.10"),
            Entry("fedora-b", "fedora", "m1", "6.5.12-300.fc39.x86_64"),
            Entry("arch-uki", "arch", null, "6.6.1-arch1-1", source: BootEntrySource.Uki),
            Entry("fedora-other-install", "fedora", "m0", "1"),
        ];

        var sorted = SystemdBootOrder.Sort(entries);

        Assert.Equal(["arch-uki", "fedora-other-install", "fedora-b", "fedora-a", "linux-5.10", "linux-5.9", "exhausted"],
            sorted.Select(e => e.Id));
    }

    [Fact]
    public void SameIdAndCounters_MoreTriesLeftFirst()
    {
        BootEntry fewer = Entry("linux", triesLeft: 1);
        BootEntry more = Entry("linux", triesLeft: 3);

        Assert.True(SystemdBootOrder.Compare(more, fewer) < 0);
        Assert.True(SystemdBootOrder.Compare(fewer, more) > 0);
    }

    [Theory]
    [InlineData("Arch", BootEntrySource.Bls, "arch.conf")]
    [InlineData("arch.conf", BootEntrySource.Bls, "arch.conf")]
    [InlineData("arch-linux", BootEntrySource.Uki, "arch-linux.efi")]
    [InlineData("Arch-Linux.EFI", BootEntrySource.Uki, "arch-linux.efi")]
    [InlineData("gnulinux-6.1", BootEntrySource.Grub, "gnulinux-6.1")]
    public void LoaderId_IsFileNameLowerCased(string id, BootEntrySource source, string expected) =>
        Assert.Equal(expected, SystemdBootOrder.LoaderId(Entry(id, source: source)));

    [Fact]
    public void ArchAndArchLts_ArchFirstBecauseOfTheConfSuffix()
    {
        // "arch.conf" against "arch-lts.conf": '-' marks an older segment than '.', so arch.conf is newer.
        Assert.Equal(["arch", "arch-lts"], SystemdBootOrder.Sort([Entry("arch-lts"), Entry("arch")]).Select(e => e.Id));
    }
}
