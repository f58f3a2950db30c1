using System.Text;
using CsCheck;
using Rekernel.Discovery;
using Rekernel.Discovery.Bls;
using Rekernel.Discovery.Grub;
using Rekernel.Tests.Planning;

namespace Rekernel.Tests.Hardening;

/// <summary>
/// GRUB's lexer, parser and interpreter on generated and mutated grub.cfg files in a temporary root: nothing
/// throws, every run is bounded in time, every kernel path the menu names is absolute, normalised and inside the
/// root, every diagnostic names a file and a line that exists, and nothing outside the root is read: the root
/// lies two levels down in the fixture, and the files <c>../../</c> and <c>../../../etc/passwd</c> would reach
/// from it hold SENTINEL, with access times that show any read.
/// </summary>
public sealed class GrubFuzzTests
{
    private const string Sentinel = "SENTINEL";
    private static readonly DateTime LongAgo = new(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>A boot root at <c>/a/root</c> of a temporary tree, with sentinel files around it.</summary>
    private sealed class FuzzRoot : IDisposable
    {
        private readonly TempBootTree _outer = new();
        private readonly List<string> _sentinels;

        public FuzzRoot()
        {
            _outer.Bytes("/a/root/boot/vmlinuz-6.1.0-53-amd64", Images.FakeKernel.Image(Images.FakeKernel.Banner("6.1.0-53-amd64")))
                .Text("/a/root/boot/grub/grubenv", "# GRUB Environment Block\nsaved_entry=gnulinux-6.1\na=seeded\n" + new string('#', 900))
                .Text("/a/root/boot/grub/custom.cfg", "menuentry 'custom' { linux /vmlinuz-6.1.0-53-amd64 }\n")
                .Bytes("/outside/vmlinuz", Images.FakeKernel.Image(Images.FakeKernel.Banner("9.9.9-" + Sentinel)))
                .Text("/outside/grub.cfg", $"menuentry '{Sentinel}' {{ linux /vmlinuz {Sentinel} }}\nset default={Sentinel}\n")
                .Text("/outside/grubenv", $"saved_entry={Sentinel}\nkernelopts={Sentinel}\na={Sentinel}\n")
                .Text("/a/etc/passwd", $"root:x:0:0:{Sentinel}:/root:/bin/sh\n");
            Root = new BootRoot(_outer.Host("/a/root"));
            _sentinels = [.. new[] { "/outside", "/outside/vmlinuz", "/outside/grub.cfg", "/outside/grubenv", "/a/etc", "/a/etc/passwd" }.Select(_outer.Host)];
            foreach (string path in _sentinels)
            {
                File.SetLastWriteTimeUtc(path, DateTime.UtcNow);
                File.SetLastAccessTimeUtc(path, LongAgo);
            }
        }

        public BootRoot Root { get; }

        public void Config(string text) => _outer.Text("/a/root/boot/grub/grub.cfg", text);

        /// <summary>The lines of a file inside the root, or null when there is none.</summary>
        public int? LineCount(string pathInRoot)
        {
            string host = Path.Join(Root.HostPath, pathInRoot);
            return !pathInRoot.Contains('\0') && File.Exists(host) ? File.ReadAllText(host).Split('\n').Length : null;
        }

        public void AssertNoSentinelRead()
        {
            foreach (string path in _sentinels)
                Assert.True(File.GetLastAccessTimeUtc(path) == LongAgo, $"{path}, outside the root, was read");
        }

        public void Dispose() => _outer.Dispose();
    }

    private static GrubMenu? ReadMenu(FuzzRoot tree, string config, string what, TimeSpan? limit = null)
    {
        tree.Config(config);
        return FuzzBudget.Timed(() => GrubReader.Read(tree.Root, GrubEnv.Load(tree.Root), BlsScan.Empty), what, limit);
    }

    /// <summary>
    /// An absolute path with no empty, <c>.</c> or <c>..</c> component: joined to the root it stays inside it. A
    /// trailing slash is let through: <c>linux $prefix/</c> names the directory <c>/boot/</c>, which is inside.
    /// </summary>
    private static void AssertNormalisedAbsolute(string path, string what)
    {
        string trimmed = path.Length > 1 && path.EndsWith('/') ? path[..^1] : path;
        Assert.True(trimmed == "/" || (trimmed.StartsWith('/') && trimmed[1..].Split('/').All(c => c is not ("" or "." or ".."))),
            $"{what} '{path}' is not an absolute, normalised path");
    }

    /// <summary><paramref name="file"/> is a path inside the root and <paramref name="line"/> one of its lines (0: the whole file).</summary>
    private static void AssertPointsInto(FuzzRoot tree, string file, int line, string what)
    {
        AssertNormalisedAbsolute(file, what);
        Assert.True(line >= 0, $"{what} names line {line}");
        if (tree.LineCount(file) is { } lines) Assert.True(line <= lines, $"{what} names line {line} of the {lines}-line {file}");
    }

    private static void AssertInvariants(FuzzRoot tree, GrubMenu? menu)
    {
        tree.AssertNoSentinelRead();
        if (menu is null) return;
        foreach (Diagnostic d in menu.Diagnostics)
        {
            AssertPointsInto(tree, d.File, d.Line, $"diagnostic '{d}'");
            Assert.DoesNotContain(Sentinel, d.Message);
        }
        foreach (BootEntry e in menu.Entries)
        {
            Assert.DoesNotContain(Sentinel, string.Join('|', e.Id, e.Title, e.Version, e.Cmdline, e.Kernel, string.Join(',', e.Initrds)));
            foreach (string path in e.Initrds.Prepend(e.Kernel)) AssertNormalisedAbsolute(path, $"entry '{e.Title}' path");
            int colon = e.Origin!.LastIndexOf(':');
            int line = colon > 0 && int.TryParse(e.Origin[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture, out int l) ? l : -1;
            Assert.True(line >= 1, $"entry '{e.Title}' comes from '{e.Origin}', not file:line");
            AssertPointsInto(tree, e.Origin[..colon], line, $"entry '{e.Title}' origin");
        }
    }

    [Fact]
    public void GeneratedScripts_KeepEveryPathAndDiagnosticInsideTheRoot()
    {
        using var tree = new FuzzRoot();
        Gen.Int.Sample(seed =>
        {
            string script = GrubScripts.Script(new Random(seed));
            AssertInvariants(tree, ReadMenu(tree, script, "generated grub.cfg"));
        }, iter: FuzzBudget.Iterations(600), threads: 1);
    }

    [Fact]
    public void MutatedFixtureConfigs_KeepEveryPathAndDiagnosticInsideTheRoot()
    {
        IReadOnlyList<byte[]> seeds = FuzzInputs.FixtureFiles("grub.cfg");
        using var tree = new FuzzRoot();
        FuzzInputs.MutatedText(seeds).Sample(text => AssertInvariants(tree, ReadMenu(tree, text, "mutated grub.cfg")),
            iter: FuzzBudget.Iterations(600), threads: 1);
    }

    [Fact]
    public void TokenSoup_KeepsEveryPathAndDiagnosticInsideTheRoot()
    {
        using var tree = new FuzzRoot();
        FuzzInputs.TokenSoup(200).Sample(text => AssertInvariants(tree, ReadMenu(tree, text, "token soup")),
            iter: FuzzBudget.Iterations(600), threads: 1);
    }

    // Regression (crasher found by these tests): `[ ( ( ( ...` recursed once per parenthesis and overflowed the
    // stack, which kills the process instead of throwing.
    [Fact]
    public void TestCommand_WithAHundredThousandParentheses_DoesNotOverflowTheStack()
    {
        using var tree = new FuzzRoot();
        string parens = "[ " + string.Concat(Enumerable.Repeat("( ", 100_000)) + "x ]\nmenuentry 'after' { linux /vmlinuz-6.1.0-53-amd64 }\n";
        string nots = "[ " + string.Concat(Enumerable.Repeat("! ", 100_000)) + "x ]\nmenuentry 'after' { linux /vmlinuz-6.1.0-53-amd64 }\n";
        Assert.Equal("after", ReadMenu(tree, parens, "[ ( ( ( ...")!.Entries.Single().Title);
        Assert.Equal("after", ReadMenu(tree, nots, "[ ! ! ! ...")!.Entries.Single().Title);
    }

    // Regression: each a="$a$a" doubles the value; forty of them wanted a terabyte of memory.
    [Fact]
    public void VariableDoubledFortyTimes_IsCutShort_AndTheMenuIsStillRead()
    {
        using var tree = new FuzzRoot();
        string script = "set a=x\n" + string.Concat(Enumerable.Repeat("a=\"$a$a\"\n", 40))
            + "menuentry 'after' { linux /vmlinuz-6.1.0-53-amd64 $a }\n";
        GrubMenu menu = ReadMenu(tree, script, "a=$a$a x 40")!;
        BootEntry entry = menu.Entries.Single();
        Assert.InRange(entry.Cmdline!.Length, 1, 2 * 8 * 1024);
        Assert.Contains(menu.Diagnostics, d => d.Message.Contains("cut short", StringComparison.Ordinal));
    }

    // Regression: a file that sources itself twice per level was read 2^8 times, and one with many source lines
    // thousands of times; the total read is now bounded.
    [Fact]
    public void ConfigThatSourcesItselfManyTimes_FinishesQuickly()
    {
        using var tree = new FuzzRoot();
        string padding = "# " + new string('x', 200) + "\n";
        string script = string.Concat(Enumerable.Repeat("source /boot/grub/grub.cfg\n", 20)) + string.Concat(Enumerable.Repeat(padding, 4000))
            + "menuentry 'self' { linux /vmlinuz-6.1.0-53-amd64 }\n";
        GrubMenu menu = ReadMenu(tree, script, "self-sourcing grub.cfg")!;
        Assert.NotEmpty(menu.Entries);
        Assert.All(menu.Entries, e => Assert.Equal(("self", "/boot/vmlinuz-6.1.0-53-amd64"), (e.Title, e.Kernel)));
        AssertInvariants(tree, menu);
    }

    // Regression (found by GeneratedScripts, took 11.7 s): a function calling itself twice per level while a
    // variable grows runs 2^16 calls, each expanding a long word; the expansion work is now bounded too.
    [Fact]
    public void SelfRecursiveFunctionGrowingAVariable_IsStoppedQuickly_WithTheLineThatStoppedIt()
    {
        using var tree = new FuzzRoot();
        string script = "function f {\nf 1 ../../../etc/passwd\nf ${a} ${a}\na=\"$a$#\"\n}\nf -1 debian\n"
            + "menuentry 'after' { linux /vmlinuz-6.1.0-53-amd64 }\n";
        GrubMenu menu = ReadMenu(tree, script, "self-recursive function")!;
        // The expansion budget stops the whole script, so the entry after it is not read either.
        Assert.Contains(new Diagnostic("/boot/grub/grub.cfg", 2, "more than 32 MiB of words expanded; the rest of the script is not run"), menu.Diagnostics);
        Assert.Empty(menu.Entries);
        AssertInvariants(tree, menu);
    }

    // Regression (found by GeneratedScripts, took 2.4 s): 2^16 calls each reloading grubenv. A statement is now
    // stopped after 20000 commands (a hundred times what a generated configuration runs) and the script goes on.
    [Fact]
    public void RecursiveFunctionReloadingTheEnvironment_IsStopped_AndTheMenuAfterItIsRead()
    {
        using var tree = new FuzzRoot();
        string script = "function f {\nload_env\nf -1\nf $? >\n}\nf\nmenuentry 'after' { linux /vmlinuz-6.1.0-53-amd64 }\n";
        GrubMenu menu = ReadMenu(tree, script, "recursive load_env")!;
        Assert.Contains(menu.Diagnostics, d => d.Message.Contains("it is stopped and the script goes on", StringComparison.Ordinal));
        Assert.Equal("after", menu.Entries.Single().Title);
    }

    // Regression (found by `make fuzz`, took 6.3 s): every initrd word of a long variable, in a recursive function
    // that defines a menu entry per call, was looked up on disk. Look-ups (5000), initrds per entry (64) and menu
    // entries (1000) are now bounded.
    [Fact]
    public void ThousandsOfInitrdsInARecursiveFunction_FinishQuickly()
    {
        using var tree = new FuzzRoot();
        string words = string.Join(' ', Enumerable.Range(0, 800).Select(i => $"/initrd-{i}.img"));
        string script = $"set a=\"{words}\"\nfunction f {{\nmenuentry 'm' {{ linux /vmlinuz-6.1.0-53-amd64\ninitrd $a }}\nf\nf\n}}\nf\n"
            + "menuentry 'after' { linux /vmlinuz-6.1.0-53-amd64 }\n";
        GrubMenu menu = ReadMenu(tree, script, "800 initrds x recursion")!;
        Assert.InRange(menu.Entries.Length, 1, 1000);
        Assert.All(menu.Entries, e => Assert.InRange(e.Initrds.Length, 0, 64));
        Assert.Contains(menu.Diagnostics, d => d.Message.Contains("more than 1000 menu entries", StringComparison.Ordinal));
    }

    // Submenus do not count toward the 1000-entry budget: grub-mkconfig's form with 1000 kernels in ten
    // submenus is a real (if large) menu, and GRUB shows all of it (bench/discovery.sh's grub.cfg tree).
    [Fact]
    public void AThousandEntriesInTenSubmenus_AreAllRead()
    {
        using var tree = new FuzzRoot();
        string script = string.Concat(Enumerable.Range(0, 10).Select(s => $"submenu 'Advanced options {s}' {{\n"
            + string.Concat(Enumerable.Range(0, 100).Select(j => $"menuentry 'Linux {s}-{j}' {{ linux /vmlinuz-6.1.0-53-amd64 }}\n")) + "}\n"));
        GrubMenu menu = ReadMenu(tree, script, "1000 entries in 10 submenus")!;
        Assert.Equal(1000, menu.Entries.Length);
        Assert.DoesNotContain(menu.Diagnostics, d => d.Message.Contains("menu entries; the rest are skipped", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("if true; then\n", "fi\n")]
    [InlineData("{\n", "}\n")]
    [InlineData("submenu 's' {\n", "}\n")]
    [InlineData("function f {\n", "}\n")]
    [InlineData("while true; do\n", "done\n")]
    public void DeepNesting_ThirtyThousandLevels_IsSkippedWithoutHangingOrOverflowing(string open, string close)
    {
        using var tree = new FuzzRoot();
        var sb = new StringBuilder();
        // 30000 levels keep the file under the 1 MiB limit, so the entry after them must be read.
        for (int i = 0; i < 30_000; i++) sb.Append(open);
        sb.Append("linux /vmlinuz-6.1.0-53-amd64\n");
        for (int i = 0; i < 30_000; i++) sb.Append(close);
        sb.Append("menuentry 'after' { linux /vmlinuz-6.1.0-53-amd64 }\n");
        GrubMenu menu = ReadMenu(tree, sb.ToString(), $"30000 x {open.Trim()}")!;
        Assert.Contains(menu.Entries, e => e.Title == "after");
    }

    [Fact]
    public void UnclosedBlocksAndQuotes_ThroughoutAMegabyte_FinishQuickly_AndAreReportedByLine()
    {
        using var tree = new FuzzRoot();
        string line = "menuentry 'a' {\nif [ x\n\"unterminated\nlinux 'also\n";
        string script = string.Concat(Enumerable.Repeat(line, (1 << 20) / line.Length));
        GrubMenu menu = ReadMenu(tree, script, "1 MB of unclosed blocks and quotes")!;
        Assert.Contains(menu.Diagnostics, d => d.File == "/boot/grub/grub.cfg" && d.Line > 0);
        AssertInvariants(tree, menu);
    }

    [Fact]
    public void HugeConfig_OverTheSizeLimit_IsCutWithADiagnostic()
    {
        using var tree = new FuzzRoot();
        string entry = "menuentry 'e' { linux /vmlinuz-6.1.0-53-amd64 root=/dev/vda ro quiet }\n";
        string script = string.Concat(Enumerable.Repeat(entry, (3 << 20) / entry.Length));
        GrubMenu menu = ReadMenu(tree, script, "3 MB grub.cfg", TimeSpan.FromSeconds(5))!;
        Assert.Contains(menu.Diagnostics, d => d.Message.Contains("larger than 1 MiB", StringComparison.Ordinal));
    }
}
