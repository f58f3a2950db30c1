using System.Text;
using CsCheck;
using Rekernel.Discovery;
using Rekernel.Discovery.Bls;
using Rekernel.Discovery.Grub;
using Rekernel.Tests.Planning;

namespace Rekernel.Tests.Hardening;

/// <summary>
/// GRUB's lexer, parser and interpreter on generated and mutated grub.cfg files in a temporary root: nothing
/// throws, every run is bounded in time, and every kernel path the menu names stays inside the root.
/// </summary>
public sealed class GrubFuzzTests
{
    private static GrubMenu? ReadMenu(TempBootTree tree, string config, string what, TimeSpan? limit = null)
    {
        tree.Text("/boot/grub/grub.cfg", config);
        return FuzzBudget.Timed(() => GrubReader.Read(tree.Root, GrubEnv.Load(tree.Root), BlsScan.Empty), what, limit);
    }

    private static void AssertInside(TempBootTree tree, GrubMenu? menu)
    {
        if (menu is null) return;
        foreach (BootEntry e in menu.Entries)
        {
            foreach (string path in e.Initrds.Prepend(e.Kernel))
            {
                Assert.StartsWith("/", path);
                Assert.DoesNotContain("..", path.Split('/'));
                if (tree.Root.Resolve(path) is { } host) Assert.StartsWith(tree.HostPath + "/", host + "/");
            }
        }
    }

    private static TempBootTree Tree()
    {
        var tree = new TempBootTree();
        tree.Bytes("/boot/vmlinuz-6.1.0-53-amd64", Images.FakeKernel.Image(Images.FakeKernel.Banner("6.1.0-53-amd64")))
            .Text("/boot/grub/grubenv", "# GRUB Environment Block\nsaved_entry=gnulinux-6.1\na=seeded\n" + new string('#', 900))
            .Text("/boot/grub/custom.cfg", "menuentry 'custom' { linux /vmlinuz-6.1.0-53-amd64 }\n");
        return tree;
    }

    [Fact]
    public void GeneratedScripts_NeverThrow_AndKernelPathsStayInsideTheRoot()
    {
        using TempBootTree tree = Tree();
        Gen.Int.Sample(seed =>
        {
            string script = GrubScripts.Script(new Random(seed));
            AssertInside(tree, ReadMenu(tree, script, "generated grub.cfg"));
        }, iter: FuzzBudget.Iterations(600), threads: 1);
    }

    [Fact]
    public void MutatedFixtureConfigs_NeverThrow_AndKernelPathsStayInsideTheRoot()
    {
        IReadOnlyList<byte[]> seeds = FuzzInputs.FixtureFiles("grub.cfg");
        using TempBootTree tree = Tree();
        FuzzInputs.MutatedText(seeds).Sample(text => AssertInside(tree, ReadMenu(tree, text, "mutated grub.cfg")),
            iter: FuzzBudget.Iterations(600), threads: 1);
    }

    [Fact]
    public void TokenSoup_NeverThrows()
    {
        using TempBootTree tree = Tree();
        FuzzInputs.TokenSoup(200).Sample(text => AssertInside(tree, ReadMenu(tree, text, "token soup")),
            iter: FuzzBudget.Iterations(600), threads: 1);
    }

    // Regression (crasher found by these tests): `[ ( ( ( ...` recursed once per parenthesis and overflowed the
    // stack, which kills the process instead of throwing.
    [Fact]
    public void TestCommand_WithAHundredThousandParentheses_DoesNotOverflowTheStack()
    {
        using TempBootTree tree = Tree();
        string parens = "[ " + string.Concat(Enumerable.Repeat("( ", 100_000)) + "x ]\nmenuentry 'after' { linux /vmlinuz-6.1.0-53-amd64 }\n";
        string nots = "[ " + string.Concat(Enumerable.Repeat("! ", 100_000)) + "x ]\nmenuentry 'after' { linux /vmlinuz-6.1.0-53-amd64 }\n";
        Assert.Equal("after", ReadMenu(tree, parens, "[ ( ( ( ...")!.Entries.Single().Title);
        Assert.Equal("after", ReadMenu(tree, nots, "[ ! ! ! ...")!.Entries.Single().Title);
    }

    // Regression: each a="$a$a" doubles the value; forty of them wanted a terabyte of memory.
    [Fact]
    public void VariableDoubledFortyTimes_IsCutShort_AndTheMenuIsStillRead()
    {
        using TempBootTree tree = Tree();
        string script = "set a=x\n" + string.Concat(Enumerable.Repeat("a=\"$a$a\"\n", 40))
            + "menuentry 'after' { linux /vmlinuz-6.1.0-53-amd64 $a }\n";
        GrubMenu menu = ReadMenu(tree, script, "a=$a$a x 40")!;
        BootEntry entry = menu.Entries.Single();
        Assert.InRange(entry.Cmdline!.Length, 1, GrubInterpreter.MaxWordLength * 2);
        Assert.Contains(menu.Diagnostics, d => d.Message.Contains("cut short", StringComparison.Ordinal));
    }

    // Regression: a file that sources itself twice per level was read 2^8 times, and one with many source lines
    // thousands of times; the total read is now bounded.
    [Fact]
    public void ConfigThatSourcesItselfManyTimes_FinishesQuickly()
    {
        using TempBootTree tree = Tree();
        string padding = "# " + new string('x', 200) + "\n";
        string script = string.Concat(Enumerable.Repeat("source /boot/grub/grub.cfg\n", 20)) + string.Concat(Enumerable.Repeat(padding, 4000))
            + "menuentry 'self' { linux /vmlinuz-6.1.0-53-amd64 }\n";
        GrubMenu menu = ReadMenu(tree, script, "self-sourcing grub.cfg")!;
        Assert.NotEmpty(menu.Entries);
    }

    // Regression (found by GeneratedScripts, took 11.7 s): a function calling itself twice per level while a
    // variable grows runs 2^16 calls, each expanding a long word; the expansion work is now bounded too.
    [Fact]
    public void SelfRecursiveFunctionGrowingAVariable_FinishesQuickly()
    {
        using TempBootTree tree = Tree();
        string script = "function f {\nf 1 ../../../etc/passwd\nf ${a} ${a}\na=\"$a$#\"\n}\nf -1 debian\n"
            + "menuentry 'after' { linux /vmlinuz-6.1.0-53-amd64 }\n";
        ReadMenu(tree, script, "self-recursive function");
    }

    // Regression (found by GeneratedScripts, took 2.4 s): 2^16 calls each reloading grubenv. A statement is now
    // stopped after 20000 commands (a hundred times what a generated configuration runs) and the script goes on.
    [Fact]
    public void RecursiveFunctionReloadingTheEnvironment_IsStopped_AndTheMenuAfterItIsRead()
    {
        using TempBootTree tree = Tree();
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
        using TempBootTree tree = Tree();
        string words = string.Join(' ', Enumerable.Range(0, 800).Select(i => $"/initrd-{i}.img"));
        string script = $"set a=\"{words}\"\nfunction f {{\nmenuentry 'm' {{ linux /vmlinuz-6.1.0-53-amd64\ninitrd $a }}\nf\nf\n}}\nf\n"
            + "menuentry 'after' { linux /vmlinuz-6.1.0-53-amd64 }\n";
        GrubMenu menu = ReadMenu(tree, script, "800 initrds x recursion")!;
        Assert.InRange(menu.Entries.Length, 1, 1000);
        Assert.All(menu.Entries, e => Assert.InRange(e.Initrds.Length, 0, 64));
        Assert.Contains(menu.Diagnostics, d => d.Message.Contains("more than 1000 menu entries", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("if true; then\n", "fi\n")]
    [InlineData("{\n", "}\n")]
    [InlineData("submenu 's' {\n", "}\n")]
    [InlineData("function f {\n", "}\n")]
    [InlineData("while true; do\n", "done\n")]
    public void DeepNesting_ThirtyThousandLevels_IsSkippedWithoutHangingOrOverflowing(string open, string close)
    {
        using TempBootTree tree = Tree();
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
    public void UnclosedBlocksAndQuotes_ThroughoutAMegabyte_FinishQuickly()
    {
        using TempBootTree tree = Tree();
        string line = "menuentry 'a' {\nif [ x\n\"unterminated\nlinux 'also\n";
        string script = string.Concat(Enumerable.Repeat(line, (1 << 20) / line.Length));
        ReadMenu(tree, script, "1 MB of unclosed blocks and quotes");
    }

    [Fact]
    public void HugeConfig_OverTheSizeLimit_IsCutWithADiagnostic()
    {
        using TempBootTree tree = Tree();
        string entry = "menuentry 'e' { linux /vmlinuz-6.1.0-53-amd64 root=/dev/vda ro quiet }\n";
        string script = string.Concat(Enumerable.Repeat(entry, (3 << 20) / entry.Length));
        GrubMenu menu = ReadMenu(tree, script, "3 MB grub.cfg", TimeSpan.FromSeconds(5))!;
        Assert.Contains(menu.Diagnostics, d => d.Message.Contains("larger than 1 MiB", StringComparison.Ordinal));
    }
}
