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
/// or diagnostics), each input is parsed in bounded time, and what comes out keeps each parser's invariants:
/// paths absolute and normalised, diagnostics naming their file and a line that exists, nothing invented.
/// </summary>
public sealed class ParserFuzzTests
{
    private static readonly GrubEnv Env = GrubEnv.Parse("kernelopts=root=/dev/vda ro\ntuned_params=skew_tick=1\ntuned_initrd=/tuned.img\n");

    /// <summary>An absolute path with no empty, <c>.</c> or <c>..</c> component and no trailing slash.</summary>
    private static void AssertNormalisedAbsolute(string path)
    {
        Assert.StartsWith("/", path);
        string[] parts = path[1..].Split('/');
        Assert.True(parts.All(c => c is not ("" or "." or "..")), $"'{path}' is not normalised");
    }

    /// <summary>Every diagnostic names <paramref name="file"/> and a line of <paramref name="text"/> (0: the whole file).</summary>
    private static void AssertDiagnosticsPointInto(IEnumerable<Diagnostic> diagnostics, string file, string text, int firstLine = 0)
    {
        int lines = text.Split('\n').Length;
        foreach (Diagnostic d in diagnostics)
        {
            Assert.Equal(file, d.File);
            Assert.True(d.Line >= firstLine && d.Line <= lines, $"'{d}' names line {d.Line} of a {lines}-line file");
            Assert.False(string.IsNullOrWhiteSpace(d.Message), $"'{d}' has no message");
        }
    }

    [Fact]
    public void BlsEntries_MutatedFromFixtures_KeepPathsNormalized_AndReportProblemsWithFileAndLine()
    {
        IReadOnlyList<byte[]> seeds = FuzzInputs.FixtureFiles("*.conf");
        Gen.OneOf(FuzzInputs.MutatedText(seeds), FuzzInputs.TokenSoup(60)).Sample(text =>
        {
            var diagnostics = new List<Diagnostic>();
            BlsEntry? entry = FuzzBudget.Timed(() => BlsReader.Parse(text, "/boot/loader/entries/fuzz.conf", "/boot", diagnostics), "BLS parse");
            AssertDiagnosticsPointInto(diagnostics, "/boot/loader/entries/fuzz.conf", text);
            // An entry that is skipped says why.
            if (entry is null) { Assert.NotEmpty(diagnostics); return; }
            Assert.True(entry.Linux is null != entry.Efi is null, "an entry has exactly one of linux and efi");
            Assert.InRange(entry.LoaderLine, 1, text.Split('\n').Length);
            foreach (string path in new[] { entry.Linux, entry.Efi, entry.Devicetree }.OfType<string>().Concat(entry.Initrds).Concat(entry.DevicetreeOverlays).Where(p => !p.Contains('$')))
                AssertNormalisedAbsolute(path);
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
    public void GrubEnv_RandomAndMutated_HoldsOnlyKeysAssignedOnALineOfTheirOwn()
    {
        IReadOnlyList<byte[]> seeds = FuzzInputs.FixtureFiles("grubenv");
        Gen.OneOf(FuzzInputs.MutatedText(seeds), FuzzInputs.TokenSoup(40), Gen.String).Sample(text =>
        {
            GrubEnv env = FuzzBudget.Timed(() => GrubEnv.Parse(text, "/boot/grub/grubenv"), "grubenv parse");
            Assert.Equal("/boot/grub/grubenv", env.Path);
            string[] lines = text.Split('\n');
            foreach (string key in env.Values.Keys)
            {
                Assert.False(key.Length == 0 || key.Contains('=') || key.Contains('\n') || key.StartsWith('#'), $"bad key '{key}'");
                Assert.True(lines.Any(l => l.StartsWith(key + "=", StringComparison.Ordinal)), $"'{key}' is assigned on no line");
            }
            // And the converse: every KEY=value line that is not a comment gives a key.
            foreach (string line in lines.Where(l => !l.StartsWith('#') && l.IndexOf('=') > 0))
                Assert.True(env.Values.ContainsKey(line[..line.IndexOf('=')]), $"the line '{line}' was dropped");
        }, iter: FuzzBudget.Iterations(4000));
    }

    // The keys systemd-boot's config_defaults_load_from_file (src/boot/boot.c) knows; anything else is reported and ignored.
    private static readonly string[] LoaderKeys =
    [
        "default", "timeout", "editor", "auto-entries", "auto-firmware", "auto-poweroff", "auto-reboot", "beep",
        "reboot-for-bitlocker", "reboot-on-error", "secure-boot-enroll", "secure-boot-enroll-action",
        "secure-boot-enroll-timeout-sec", "console-mode", "log-level", "random-seed-mode", "preferred",
    ];

    [Fact]
    public void LoaderConf_RandomAndMutated_KeepsOnlyKnownKeysFromTheText_AndReportsTheRestWithFileAndLine()
    {
        IReadOnlyList<byte[]> seeds = FuzzInputs.FixtureFiles("loader.conf", "os-release");
        Gen.OneOf(FuzzInputs.MutatedText(seeds), FuzzInputs.TokenSoup(40)).Sample(text =>
        {
            var diagnostics = new List<Diagnostic>();
            LoaderConfig config = FuzzBudget.Timed(() => LoaderConfig.Parse(text, "/boot/loader/loader.conf", diagnostics), "loader.conf parse");
            // Every loader.conf problem is about one line.
            AssertDiagnosticsPointInto(diagnostics, "/boot/loader/loader.conf", text, firstLine: 1);
            Assert.Equal("/boot/loader/loader.conf", config.Path);
            // A line whose key systemd-boot does not know is reported, never silently dropped.
            foreach (string line in text.Split('\n').Select(l => l.Trim(' ', '\t', '\r')).Where(l => l.Length > 0 && l[0] != '#' && l.IndexOfAny([' ', '\t']) > 0))
            {
                string key = line[..line.IndexOfAny([' ', '\t'])];
                if (!LoaderKeys.Contains(key)) Assert.Contains(diagnostics, d => d.Message.StartsWith("unknown key", StringComparison.Ordinal));
            }
            if (config.Default is { } pattern)
            {
                Assert.True(!pattern.StartsWith('@') || pattern.Equals("@saved", StringComparison.OrdinalIgnoreCase), $"default '{pattern}' kept");
                Assert.Contains(pattern, text);
            }
        }, iter: FuzzBudget.Iterations(3000));
    }

    [Fact]
    public void OsRelease_RandomAndMutated_HoldsOnlyShellNamesAssignedInTheText()
    {
        IReadOnlyList<byte[]> seeds = FuzzInputs.FixtureFiles("loader.conf", "os-release");
        Gen.OneOf(FuzzInputs.MutatedText(seeds), FuzzInputs.TokenSoup(40)).Sample(text =>
        {
            OsRelease release = FuzzBudget.Timed(() => OsRelease.Parse(text), "os-release parse");
            string[] lines = text.Split('\n');
            foreach (string key in release.Values.Keys)
            {
                Assert.True(key.Length > 0 && key.All(c => c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_'), $"bad key '{key}'");
                Assert.True(lines.Any(l => l.Trim().StartsWith(key + "=", StringComparison.Ordinal)), $"'{key}' is assigned on no line");
            }
        }, iter: FuzzBudget.Iterations(3000));
    }

    [Fact]
    public void LoaderGlob_PathologicalAndRandomPatterns_MatchInBoundedTime_AndKeepTheGlobRules()
    {
        // A naive backtracking matcher takes exponential time on a*a*a*...b against aaaa...
        string pattern = string.Concat(Enumerable.Repeat("*a", 40)) + "*b";
        string id = new('a', 5000);
        Assert.False(FuzzBudget.Timed(() => LoaderGlob.IsMatch(pattern, id), "glob *a*a*...*b"));
        Gen.Select(FuzzInputs.TokenSoup(10), Gen.String[0, 40]).Sample((p, s) =>
        {
            bool matches = FuzzBudget.Timed(() => LoaderGlob.IsMatch(p, s), "glob");
            // A star may match nothing, so a leading or an extra star never loses a match.
            if (matches) Assert.True(LoaderGlob.IsMatch("*" + p, s), $"'{p}' matches '{s}' but '*{p}' does not");
            Assert.True(LoaderGlob.IsMatch("*", s), $"'*' does not match '{s}'");
            Assert.True(LoaderGlob.IsMatch(new string('?', s.Length), s), $"{s.Length} '?' do not match '{s}'");
            Assert.False(LoaderGlob.IsMatch(new string('?', s.Length + 1), s), $"{s.Length + 1} '?' match '{s}'");
            // Without glob characters a pattern is an id, matched ignoring ASCII case.
            string literal = new([.. s.Where(c => c is not ('*' or '?' or '[' or '\\'))]);
            string upper = new([.. literal.Select(c => c is >= 'a' and <= 'z' ? (char)(c - 'a' + 'A') : c)]);
            Assert.True(LoaderGlob.IsMatch(upper, literal), $"'{upper}' does not match '{literal}'");
            Assert.True(LoaderGlob.IsMatch(literal, literal), $"'{literal}' does not match itself");
        }, iter: FuzzBudget.Iterations(3000));
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
            Assert.InRange(sections.All.Length, 1, 96);
            foreach (PeSection s in sections.All)
                Assert.True(s.Span.Length == 0 || s.Span.Offset + s.Span.Length <= bytes.Length, $"{s.Name} runs past the end");
        }, iter: FuzzBudget.Iterations(3000));
    }

    [Fact]
    public void UkiReader_MutatedUkisOnDisk_EachFileIsAnEntryOrAReason_AndEntriesPointInsideTheFile()
    {
        const string Uki = "/boot/efi/EFI/Linux/fuzz.efi";
        IReadOnlyList<byte[]> seeds = FuzzInputs.FixtureFiles("*.efi");
        using var tree = new Planning.TempBootTree();
        // One file rewritten per input, so the generator runs on one thread.
        FuzzInputs.Mutated(seeds).Sample(bytes =>
        {
            tree.Bytes(Uki, bytes);
            UkiScan scan = FuzzBudget.Timed(() => UkiReader.Read(tree.Root), "UKI read");
            Assert.All(scan.Diagnostics, d => Assert.Equal(new Diagnostic(Uki, 0, d.Message), d));
            Assert.True(scan.Entries.Length + scan.Diagnostics.Length == 1, $"{Uki} gave {scan.Entries.Length} entries and {scan.Diagnostics.Length} diagnostics");
            foreach (BootEntry e in scan.Entries)
            {
                Assert.Equal(Uki, e.Kernel);
                Assert.NotNull(e.Uki);
                Assert.True(e.Uki.Linux.Length > 0 && e.Uki.Linux.Offset + e.Uki.Linux.Length <= bytes.Length, ".linux runs past the end");
                if (e.Uki.Initrd is { } i) Assert.True(i.Offset + i.Length <= bytes.Length, ".initrd runs past the end");
            }
        }, iter: FuzzBudget.Iterations(300), threads: 1);
    }

    [Fact]
    public void JournalFiles_Corrupted_AreReadBackWhole_OrRefusedWithAReason()
    {
        var record = new SwitchRecord
        {
            FromVersion = "6.1.0-47-amd64", ToVersion = "6.1.0-53-amd64", EntryId = "e", KernelPath = "/boot/vmlinuz-6.1.0-53-amd64",
            Cmdline = "root=/dev/vda ro", RequestedAt = DateTimeOffset.UnixEpoch, Mode = SwitchMode.Graceful, BootId = "b",
        };
        byte[] seed = JournalJson.JournalBytes([record, record with { Outcome = SwitchOutcome.Success }]);
        Assert.Equal([record, record with { Outcome = SwitchOutcome.Success }], JournalJson.ReadJournal(seed));
        int refused = 0;
        FuzzInputs.Mutated([seed]).Sample(bytes =>
        {
            IReadOnlyList<SwitchRecord> records;
            try { records = JournalJson.ReadJournal(bytes); }
            catch (FormatException ex)
            {
                Assert.False(string.IsNullOrWhiteSpace(ex.Message), "a corrupt journal is refused without a reason");
                Interlocked.Increment(ref refused);
                return;
            }
            // What was accepted is a journal rekernel can write back and read again unchanged.
            Assert.Equal(records, JournalJson.ReadJournal(JournalJson.JournalBytes(records)));
        }, iter: FuzzBudget.Iterations(3000));
        Assert.True(refused > 0, "no mutation was refused: the mutator does not reach the reader's checks");
    }

    [Fact]
    public void SwitchTime_AnyText_IsAFutureTimeOrAUsageError()
    {
        var now = new DateTimeOffset(2025, 6, 1, 10, 0, 0, TimeSpan.Zero);
        Gen.OneOf(Gen.String, FuzzInputs.TokenSoup(8), Gen.OneOf(Gen.Const("now"), Gen.Const(" NOW "), Gen.Const("03:00"), Gen.Const("2025-06-01T09:59:59Z")))
            .Sample(text =>
            {
                SwitchTime when;
                try { when = Rekernel.Cli.CommonOptions.SwitchTimeFrom(text, now, TimeZoneInfo.Utc)!.Value; }
                catch (RekernelException ex)
                {
                    Assert.Equal(ExitCode.Usage, ex.ExitCode);
                    Assert.StartsWith("--when ", ex.Message);
                    return;
                }
                Assert.True(when.At >= now, $"'{text}' parsed to {when.At:O}, before now");
                Assert.Equal(text.Trim().Equals("now", StringComparison.OrdinalIgnoreCase), when.IsNow);
            }, iter: FuzzBudget.Iterations(3000));
    }

    [Fact]
    public void SwitchTime_PlusNUnits_IsExactlyThatFarAhead_OrTooFarAway_OrNotATime()
    {
        var now = new DateTimeOffset(2025, 6, 1, 10, 0, 0, TimeSpan.Zero);
        long secondsLeft = (long)Math.Floor((DateTimeOffset.MaxValue - now).TotalSeconds);
        (string Unit, long Seconds)[] units = [("s", 1), ("min", 60), ("h", 3600), ("d", 86400)];
        Gen.Select(Gen.Int, Gen.Int[0, units.Length - 1]).Sample((n, u) =>
        {
            string text = $"+{n}{units[u].Unit}";
            Exception? ex = Record.Exception(() => SwitchTime.Parse(text, now, TimeZoneInfo.Utc));
            long ahead = n * units[u].Seconds;
            if (n < 0) Assert.Contains("not a time", Assert.IsType<RekernelException>(ex).Message);
            else if (ahead > secondsLeft) Assert.Contains("that time is too far away", Assert.IsType<RekernelException>(ex).Message);
            else Assert.Equal(now.AddSeconds(ahead), SwitchTime.Parse(text, now, TimeZoneInfo.Utc).At);
        }, iter: FuzzBudget.Iterations(3000));
    }

    [Fact]
    public void OneMegabyteInputs_ParseWellUnderTwoSeconds()
    {
        // 23831 copies of a 44-byte, two-line stanza. (Until this was parenthesised, 1 << 20 / 44 was 1 << 0: one copy.)
        const int Copies = (1 << 20) / 44;
        string text = string.Concat(Enumerable.Repeat("options a=b c=d \"e f\" $kernelopts\ninitrd /x\n", Copies));
        Assert.Equal(1_048_564, text.Length);
        byte[] bytes = Encoding.UTF8.GetBytes(text);

        var diagnostics = new List<Diagnostic>();
        Assert.Null(FuzzBudget.Timed(() => BlsReader.Parse(text, "/boot/loader/entries/mb.conf", "/boot", diagnostics), "1 MB BLS entry"));
        Assert.Equal([new Diagnostic("/boot/loader/entries/mb.conf", 0, "entry has no 'linux' (or 'efi') line; entry skipped")], diagnostics);

        GrubEnv env = FuzzBudget.Timed(() => GrubEnv.Parse(text), "1 MB grubenv");
        Assert.Equal("b c=d \"e f\" $kernelopts", Assert.Single(env.Values, kv => kv.Key == "options a").Value);
        Assert.Single(env.Values);

        Assert.False(FuzzBudget.Timed(() => BzImageHeader.Parse(bytes), "1 MB bzImage").IsValid);
        Assert.Null(FuzzBudget.Timed(() => PeFile.Parse(bytes), "1 MB PE").Sections);

        IReadOnlyList<string> args = FuzzBudget.Timed(() => Rekernel.Planning.KernelArgs.Split(text), "1 MB command line split");
        Assert.Equal(7 * Copies, args.Count);
        Assert.Equal(["options", "a=b", "c=d", "\"e f\"", "$kernelopts", "initrd", "/x"], args.Take(7));
    }
}
