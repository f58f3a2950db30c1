using System.Text;
using CsCheck;
using Rekernel.Discovery;
using Rekernel.Discovery.Bls;
using Rekernel.Discovery.Uki;
using Rekernel.Images;
using Rekernel.Journal;
using Rekernel.Switching;
using Rekernel.Tests.Images;

namespace Rekernel.Tests.Hardening;

/// <summary>
/// Random and mutated inputs for every text and binary parser: none may throw (they report problems as values
/// or diagnostics), and each input is parsed in bounded time.
/// </summary>
public sealed class ParserFuzzTests
{
    private static readonly GrubEnv Env = GrubEnv.Parse("kernelopts=root=/dev/vda ro\ntuned_params=skew_tick=1\ntuned_initrd=/tuned.img\n");

    private static void NoThrowBounded(Action body, string what) => FuzzBudget.Timed(body, what);

    [Fact]
    public void BlsEntries_MutatedFromFixtures_NeverThrow_AndKeepPathsNormalized()
    {
        IReadOnlyList<byte[]> seeds = FuzzInputs.FixtureFiles("*.conf");
        Gen.OneOf(FuzzInputs.MutatedText(seeds), FuzzInputs.TokenSoup(60)).Sample(text =>
        {
            var diagnostics = new List<Diagnostic>();
            BlsEntry? entry = FuzzBudget.Timed(() => BlsReader.Parse(text, "/boot/loader/entries/fuzz.conf", "/boot", diagnostics), "BLS parse");
            if (entry is null) return;
            foreach (string path in new[] { entry.Linux, entry.Efi, entry.Devicetree }.OfType<string>().Concat(entry.Initrds.Where(i => !i.Contains('$'))))
            {
                Assert.StartsWith("/", path);
                Assert.DoesNotContain(path.Split('/'), c => c is ".." or ".");
            }
        }, iter: FuzzBudget.Iterations(4000));
    }

    [Fact]
    public void BlsEntry_WithHugeLinesAndManyVariables_IsBoundedInTimeAndSize()
    {
        GrubEnv big = GrubEnv.Parse("a=" + new string('x', 64 * 1024) + "\n");
        string options = "options " + string.Concat(Enumerable.Repeat("$a", 600_000)) + "\nlinux /vmlinuz\n";
        var diagnostics = new List<Diagnostic>();
        BlsEntry? entry = FuzzBudget.Timed(() => BlsReader.Parse(options, "/boot/loader/entries/big.conf", "/boot", diagnostics), "BLS $a x 600000");
        Assert.Null(entry); // the line is longer than systemd's 1 MiB limit: the whole entry is invalid
        string fits = "options " + string.Concat(Enumerable.Repeat("$a", 100_000)) + "\nlinux /vmlinuz\n";
        BlsEntry? parsed = BlsReader.Parse(fits, "/boot/loader/entries/big.conf", "/boot", diagnostics);
        Assert.NotNull(parsed);
        string expanded = FuzzBudget.Timed(() => BlsVariables.Substitute(parsed.Options!, name => big[name]), "BLS $a x 100000");
        Assert.InRange(expanded.Length, 1, 2 << 20);
    }

    [Fact]
    public void GrubEnv_RandomAndMutated_NeverThrows()
    {
        IReadOnlyList<byte[]> seeds = FuzzInputs.FixtureFiles("grubenv");
        Gen.OneOf(FuzzInputs.MutatedText(seeds), FuzzInputs.TokenSoup(40), Gen.String).Sample(text =>
        {
            GrubEnv env = FuzzBudget.Timed(() => GrubEnv.Parse(text, "/boot/grub/grubenv"), "grubenv parse");
            Assert.All(env.Values.Keys, k => Assert.DoesNotContain('\n', k));
        }, iter: FuzzBudget.Iterations(4000));
    }

    [Fact]
    public void LoaderConf_AndOsRelease_RandomAndMutated_NeverThrow()
    {
        IReadOnlyList<byte[]> seeds = FuzzInputs.FixtureFiles("loader.conf", "os-release");
        Gen.OneOf(FuzzInputs.MutatedText(seeds), FuzzInputs.TokenSoup(40)).Sample(text => NoThrowBounded(() =>
        {
            LoaderConfig.Parse(text, "/boot/loader/loader.conf", new List<Diagnostic>());
            OsRelease.Parse(text);
        }, "loader.conf / os-release parse"), iter: FuzzBudget.Iterations(3000));
    }

    [Fact]
    public void LoaderGlob_PathologicalStarPatterns_MatchInBoundedTime()
    {
        // A naive backtracking matcher takes exponential time on a*a*a*...b against aaaa...
        string pattern = string.Concat(Enumerable.Repeat("*a", 40)) + "*b";
        string id = new('a', 5000);
        Assert.False(FuzzBudget.Timed(() => LoaderGlob.IsMatch(pattern, id), "glob *a*a*...*b"));
        Gen.Select(FuzzInputs.TokenSoup(10), Gen.String[0, 40]).Sample((p, s) =>
            NoThrowBounded(() => LoaderGlob.IsMatch(p, s), "glob"), iter: FuzzBudget.Iterations(3000));
    }

    [Fact]
    public void BzImageHeader_RandomAndMutatedKernels_NeverThrow_AndValidOnesFitTheFile()
    {
        var seeds = new List<byte[]>(FuzzInputs.FixtureFiles("vmlinuz-*")) { FakeKernel.Image(FakeKernel.Banner("6.1.0-53-amd64")) };
        Gen.OneOf(FuzzInputs.Mutated(seeds), Gen.Byte.Array[0, 2048]).Sample(bytes =>
        {
            BzImageParseResult result = FuzzBudget.Timed(() => BzImageHeader.Parse(bytes), "bzImage parse");
            if (!result.IsValid) { Assert.False(string.IsNullOrEmpty(result.Problem)); return; }
            Assert.InRange(result.Header!.ImageLength, 0, bytes.Length);
            if (result.Header.KernelVersion is { } banner) Assert.All(banner, c => Assert.InRange(c, ' ', '~'));
            using var stream = new MemoryStream(bytes);
            Assert.Equal(result.IsValid, BzImageHeader.Read(stream).IsValid);
        }, iter: FuzzBudget.Iterations(5000));
    }

    [Fact]
    public void PeSectionTable_RandomAndMutatedUkis_NeverThrow_AndSectionsLieInsideTheFile()
    {
        IReadOnlyList<byte[]> seeds = FuzzInputs.FixtureFiles("*.efi");
        Gen.OneOf(FuzzInputs.Mutated(seeds), Gen.Byte.Array[0, 1024]).Sample(bytes =>
        {
            PeParseResult result = FuzzBudget.Timed(() => PeFile.Parse(bytes), "PE parse");
            if (result.Sections is not { } sections) { Assert.False(string.IsNullOrEmpty(result.Problem)); return; }
            Assert.InRange(sections.All.Length, 1, PeFile.MaxSections);
            foreach (PeSection s in sections.All)
                Assert.True(s.Span.Length == 0 || s.Span.Offset + s.Span.Length <= bytes.Length, $"{s.Name} runs past the end");
        }, iter: FuzzBudget.Iterations(3000));
    }

    [Fact]
    public void UkiReader_MutatedUkisOnDisk_NeverThrows_AndEntriesPointInsideTheFile()
    {
        IReadOnlyList<byte[]> seeds = FuzzInputs.FixtureFiles("*.efi");
        using var tree = new Planning.TempBootTree();
        // One file rewritten per input, so the generator runs on one thread.
        FuzzInputs.Mutated(seeds).Sample(bytes =>
        {
            tree.Bytes("/boot/efi/EFI/Linux/fuzz.efi", bytes);
            UkiScan scan = FuzzBudget.Timed(() => UkiReader.Read(tree.Root), "UKI read");
            foreach (BootEntry e in scan.Entries)
            {
                Assert.NotNull(e.Uki);
                Assert.True(e.Uki.Linux.Offset + e.Uki.Linux.Length <= bytes.Length);
                if (e.Uki.Initrd is { } i) Assert.True(i.Offset + i.Length <= bytes.Length);
            }
        }, iter: FuzzBudget.Iterations(300), threads: 1);
    }

    [Fact]
    public void JournalFiles_Corrupted_FailOnlyWithFormatException()
    {
        var record = new SwitchRecord
        {
            FromVersion = "6.1.0-47-amd64", ToVersion = "6.1.0-53-amd64", EntryId = "e", KernelPath = "/boot/vmlinuz-6.1.0-53-amd64",
            Cmdline = "root=/dev/vda ro", RequestedAt = DateTimeOffset.UnixEpoch, Mode = SwitchMode.Graceful, BootId = "b",
        };
        byte[] seed = JournalJson.JournalBytes([record, record with { Outcome = SwitchOutcome.Success }]);
        FuzzInputs.Mutated([seed]).Sample(bytes =>
        {
            try { JournalJson.ReadJournal(bytes); }
            catch (FormatException) { }
        }, iter: FuzzBudget.Iterations(3000));
    }

    [Fact]
    public void SwitchTime_AnyText_IsParsedOrRefusedWithAUsageError()
    {
        var now = new DateTimeOffset(2025, 6, 1, 10, 0, 0, TimeSpan.Zero);
        Gen.OneOf(Gen.String, FuzzInputs.TokenSoup(8), Gen.Select(Gen.Int, Gen.OneOf(Gen.Const("s"), Gen.Const("min"), Gen.Const("h"), Gen.Const("d"))).Select((n, u) => $"+{n}{u}"))
            .Sample(text =>
            {
                try { SwitchTime.Parse(text, now, TimeZoneInfo.Utc); }
                catch (RekernelException) { }
            }, iter: FuzzBudget.Iterations(3000));
    }

    [Fact]
    public void OneMegabyteInputs_ParseWellUnderTwoSeconds()
    {
        string text = string.Concat(Enumerable.Repeat("options a=b c=d \"e f\" $kernelopts\ninitrd /x\n", 1 << 20 / 44));
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        NoThrowBounded(() => BlsVariables.Substitute(BlsReader.Parse(text, "/boot/loader/entries/mb.conf", "/boot", new List<Diagnostic>())?.Options ?? "", name => Env[name]), "1 MB BLS entry");
        NoThrowBounded(() => GrubEnv.Parse(text), "1 MB grubenv");
        NoThrowBounded(() => BzImageHeader.Parse(bytes), "1 MB bzImage");
        NoThrowBounded(() => PeFile.Parse(bytes), "1 MB PE");
        NoThrowBounded(() => Rekernel.Planning.KernelArgs.Split(text), "1 MB command line split");
    }
}
