using Rekernel.Discovery;
using Rekernel.Discovery.Bls;

namespace Rekernel.Tests.Discovery.Bls;

public sealed class SystemdBootDefaultTests
{
    private const string ArchMachineId = "0f3c8a6e2b1d4e5f8a9b0c1d2e3f4a5b";

    private static IReadOnlyList<BootEntry> ArchEntries() =>
        BlsReader.Read(new BootRoot(Path.Combine(TestPaths.Fixtures, "arch")), GrubEnv.Empty).Entries;

    private static LoaderConfig Config(string text) => LoaderConfig.Parse(text, "/boot/loader/loader.conf", new List<Diagnostic>());

    [Fact]
    public void Arch_LoaderConfDefault_BeatsFirstEntry()
    {
        var root = new BootRoot(Path.Combine(TestPaths.Fixtures, "arch"));
        var diagnostics = new List<Diagnostic>();

        BootEntry? choice = SystemdBootDefault.Select(ArchEntries(), root, diagnostics);

        Assert.Empty(diagnostics);
        Assert.Equal("arch", choice?.Id);
    }

    [Fact]
    public void Arch_LoaderConf_IsParsed()
    {
        var diagnostics = new List<Diagnostic>();
        LoaderConfig config = LoaderConfig.Load(new BootRoot(Path.Combine(TestPaths.Fixtures, "arch")), diagnostics);

        Assert.Equal("arch.conf", config.Default);
        Assert.Equal("/boot/loader/loader.conf", config.Path);
        // timeout, console-mode and editor are systemd-boot keys: recognised, so not reported.
        Assert.Empty(diagnostics);
    }

    [Fact]
    public void SourcesInOrder_OneShotBeatsDefaultBeatsConfigBeatsFirst()
    {
        IReadOnlyList<BootEntry> entries = ArchEntries();
        LoaderConfig config = Config("default arch.conf\n");
        var all = new LoaderEfiVariables { EntryOneShot = $"{ArchMachineId}-6.6.1-arch1-1.conf", EntryDefault = "arch-lts.conf" };

        Assert.Equal($"{ArchMachineId}-6.6.1-arch1-1", Pick(entries, config, all));
        Assert.Equal("arch-lts", Pick(entries, config, all with { EntryOneShot = null }));
        Assert.Equal("arch", Pick(entries, config, LoaderEfiVariables.None));
        Assert.Equal($"{ArchMachineId}-6.6.10-arch1-1", Pick(entries, LoaderConfig.Empty, LoaderEfiVariables.None));
    }

    [Fact]
    public void VariableNamingNoEntry_FallsThroughToNextSource()
    {
        var variables = new LoaderEfiVariables { EntryOneShot = "gone.conf", EntryDefault = "also-gone.conf" };
        Assert.Equal("arch-lts", Pick(ArchEntries(), Config("default arch-lts.conf"), variables));
    }

    [Fact]
    public void ConfigGlob_IsCaseInsensitive_AndFirstMatchInMenuOrderWins()
    {
        IReadOnlyList<BootEntry> entries = ArchEntries();

        Assert.Equal("arch-lts", Pick(entries, Config("default ARCH-LTS*"), LoaderEfiVariables.None));
        // Both kernel-install entries match; the newer one is listed first.
        Assert.Equal($"{ArchMachineId}-6.6.10-arch1-1", Pick(entries, Config($"default {ArchMachineId}-*"), LoaderEfiVariables.None));
        Assert.Equal($"{ArchMachineId}-6.6.1-arch1-1", Pick(entries, Config("default *-6.6.[0-1]-arch?-1.conf"), LoaderEfiVariables.None));
    }

    [Fact]
    public void AtSavedInLoaderConf_UsesLastBootedVariable()
    {
        IReadOnlyList<BootEntry> entries = ArchEntries();
        LoaderConfig config = Config("default @saved\n");

        Assert.Equal("arch-lts", Pick(entries, config, new LoaderEfiVariables { EntryLastBooted = "arch-lts.conf" }));
        Assert.Equal($"{ArchMachineId}-6.6.10-arch1-1", Pick(entries, config, LoaderEfiVariables.None));
    }

    [Fact]
    public void AtSavedInDefaultVariable_UsesLastBootedVariable()
    {
        var variables = new LoaderEfiVariables { EntryDefault = "@saved", EntryLastBooted = "ARCH-LTS.CONF" };
        Assert.Equal("arch-lts", Pick(ArchEntries(), Config("default arch.conf"), variables));
    }

    [Fact]
    public void UnsupportedSpecialName_IsReportedAndIgnored()
    {
        var diagnostics = new List<Diagnostic>();
        LoaderConfig config = LoaderConfig.Parse("timeout 5\ndefault @default\nbogus-key 1\n", "/efi/loader/loader.conf", diagnostics);

        Assert.Null(config.Default);
        Assert.Equal(["/efi/loader/loader.conf:2", "/efi/loader/loader.conf:3"], diagnostics.Select(d => $"{d.File}:{d.Line}"));
        Assert.Equal($"{ArchMachineId}-6.6.10-arch1-1", Pick(ArchEntries(), config, LoaderEfiVariables.None));
    }

    [Fact]
    public void EfiVariablesInRoot_AreReadFromEfivarfs()
    {
        using var tree = new TempBootTree();
        tree.CopyFixture("arch")
            .WriteEfiVariable("LoaderEntryOneShot", "arch-lts.conf")
            .WriteEfiVariable("LoaderEntryLastBooted", "arch.conf");

        IReadOnlyList<BootEntry> entries = BlsReader.Read(tree.Root, GrubEnv.Empty).Entries;
        BootEntry? choice = SystemdBootDefault.Select(entries, tree.Root, new List<Diagnostic>());

        Assert.Equal("arch-lts", choice?.Id);
        Assert.Equal("arch.conf", LoaderEfiVariables.Load(tree.Root).EntryLastBooted);
        Assert.Null(LoaderEfiVariables.Load(tree.Root).EntryDefault);
    }

    [Fact]
    public void NoEntries_NoDefault() =>
        Assert.Null(SystemdBootDefault.Select([], LoaderConfig.Empty, LoaderEfiVariables.None));

    [Theory]
    [InlineData(new byte[] { }, null)]
    [InlineData(new byte[] { 7, 0, 0 }, null)]
    [InlineData(new byte[] { 7, 0, 0, 0, 0, 0 }, null)]
    [InlineData(new byte[] { 7, 0, 0, 0, (byte)'a', 0, (byte)'b', 0, 0, 0 }, "ab")]
    [InlineData(new byte[] { 7, 0, 0, 0, (byte)'a', 0, (byte)'b' }, "a")]
    public void EfiVariableDecoding_ToleratesShortAndOddData(byte[] data, string? expected) =>
        Assert.Equal(expected, LoaderEfiVariables.Decode(data));

    [Theory]
    [InlineData("arch.conf", "arch.conf", true)]
    [InlineData("arch", "arch.conf", false)]
    [InlineData("*", "anything", true)]
    [InlineData("a*b*c", "axxbyyc", true)]
    [InlineData("a*b*c", "axxbyy", false)]
    [InlineData("[a-c]x", "bx", true)]
    [InlineData("[a-c]x", "dx", false)]
    [InlineData("[]]x", "]x", true)]
    [InlineData("a\\*", "a*", true)]
    [InlineData("a\\*", "ab", false)]
    [InlineData("??", "a", false)]
    [InlineData("", "", true)]
    public void LoaderGlob_MatchesLikeEfiFnmatch(string pattern, string id, bool expected) =>
        Assert.Equal(expected, LoaderGlob.IsMatch(pattern, id));

    private static string Pick(IReadOnlyList<BootEntry> entries, LoaderConfig config, LoaderEfiVariables variables) =>
        (SystemdBootDefault.Select(entries, config, variables) ?? throw new InvalidOperationException("no choice")).Id;
}
