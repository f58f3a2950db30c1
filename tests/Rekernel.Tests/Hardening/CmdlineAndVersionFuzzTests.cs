using System.Collections.Immutable;
using System.Text;
using CsCheck;
using Rekernel.Planning;
using Rekernel.Versions;

namespace Rekernel.Tests.Hardening;

/// <summary>The command line the new kernel gets, and the order kernels sort in, under arbitrary input.</summary>
public sealed class CmdlineAndVersionFuzzTests
{
    private static readonly Gen<string> Arg = Gen.OneOf(
        Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz=_.\"/ "], 0, 12],
        Gen.OneOf(Gen.Const("panic=5"), Gen.Const("BOOT_IMAGE=/vmlinuz"), Gen.Const("initrd=/x"), Gen.Const("quiet"), Gen.Const("foo=\"a b\""), Gen.Const("\"")),
        Gen.String[0, 8]);

    private static readonly Gen<string> Line = Arg.Array[0, 12].Select(a => string.Join(' ', a));

    [Fact]
    public void KernelArgs_SplitThenJoin_IsStable()
    {
        Gen.OneOf(Line, Gen.String, FuzzInputs.TokenSoup(30)).Sample(line =>
        {
            IReadOnlyList<string> args = KernelArgs.Split(line);
            Assert.All(args, a => Assert.NotEqual("", a));
            Assert.Equal(args, KernelArgs.Split(string.Join(' ', args)));
        }, iter: FuzzBudget.Iterations(5000));
    }

    [Fact]
    public void Compose_AnyRequest_RoundTripsThroughSplit_KeepsBaseOrder_EndsWithTheAppends_HonoursRemove_AndAddsPanic()
    {
        Gen.Select(Line.Null(), Line, Arg.Array[0, 4], Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz_"], 1, 6].Array[0, 3], Gen.Int[0, 1], Gen.Int[16, 4096])
            .Sample((entry, running, append, remove, panic, max) =>
            {
                var request = new CmdlineRequest { Append = [.. append], Remove = [.. remove], PanicTimeout = panic == 1 ? 10 : null };
                string result;
                try { result = CmdlineComposer.Compose(entry, running, request, max); }
                catch (RekernelException ex)
                {
                    Assert.Equal(ExitCode.Refused, ex.ExitCode);
                    return;
                }
                Assert.True(Encoding.UTF8.GetByteCount(result) + 1 <= max, "longer than the kernel's limit");
                IReadOnlyList<string> args = KernelArgs.Split(result);
                // The line is exactly its arguments joined by single spaces: what the kernel splits is what was composed.
                Assert.Equal(result, string.Join(' ', args));
                // It ends with the appended arguments in the order given, then panic= only when asked for and absent.
                string[] appended = [.. append.SelectMany(KernelArgs.Split)];
                bool panicAdded = panic == 1 && args.Count > 0 && args[^1] == "panic=10" && !appended.Any(a => KernelArgs.Key(a) == "panic")
                    && !args.Take(args.Count - 1).Any(a => KernelArgs.Key(a) == "panic");
                int baseCount = args.Count - appended.Length - (panicAdded ? 1 : 0);
                Assert.True(baseCount >= 0, $"'{result}' lacks appended arguments");
                Assert.Equal(appended, args.Skip(baseCount).Take(appended.Length));
                // Before them come arguments of the base line only, in its order (a subsequence: some were removed).
                IReadOnlyList<string> source = KernelArgs.Split(entry ?? running);
                int at = 0;
                foreach (string a in args.Take(baseCount))
                {
                    while (at < source.Count && source[at] != a) at++;
                    Assert.True(at < source.Count, $"'{a}' in '{result}' is not from the base line '{entry ?? running}' (or out of order)");
                    at++;
                }
                IEnumerable<string> appendedKeys = append.SelectMany(KernelArgs.Split).Select(KernelArgs.Key);
                foreach (string key in remove.Except(appendedKeys))
                    Assert.DoesNotContain(args, a => KernelArgs.Key(a) == key);
                if (entry is null) Assert.DoesNotContain(args, a => KernelArgs.Key(a) is "BOOT_IMAGE" or "initrd" && !append.SelectMany(KernelArgs.Split).Contains(a));
                if (panic == 1) Assert.Contains(args, a => KernelArgs.Key(a) == "panic");
            }, iter: FuzzBudget.Iterations(5000));
    }

    [Fact]
    public void Compose_OneMegabyteCommandLine_IsRefusedQuickly()
    {
        string huge = string.Concat(Enumerable.Repeat("a=b ", 1 << 18));
        var ex = Assert.Throws<RekernelException>(() => FuzzBudget.Timed(
            () => CmdlineComposer.Compose(huge, null, new CmdlineRequest { Remove = ["x", "y", "z"] }, 2048), "1 MB command line"));
        Assert.Contains("more than the kernel's limit of 2048", ex.Message);
    }

    [Theory]
    [InlineData(VersionScheme.Rpm)]
    [InlineData(VersionScheme.Dpkg)]
    public void Versions_AnyStrings_CompareAntisymmetrically(VersionScheme scheme)
    {
        VersionComparer compare = VersionComparer.For(scheme);
        Gen<string> text = Gen.OneOf(Gen.String, FuzzInputs.TokenSoup(6), Gen.String[Gen.Char["0123456789.~^:+-ab"], 0, 20]);
        Gen.Select(text.Null(), text.Null()).Sample((a, b) =>
        {
            int ab = compare.Compare(a, b);
            Assert.Equal(Math.Sign(ab), -Math.Sign(compare.Compare(b, a)));
            Assert.Equal(0, compare.Compare(a, a));
        }, iter: FuzzBudget.Iterations(10_000));
    }

    [Theory]
    [InlineData(VersionScheme.Rpm)]
    [InlineData(VersionScheme.Dpkg)]
    public void Versions_AnyThreeStrings_CompareTransitively(VersionScheme scheme)
    {
        VersionComparer compare = VersionComparer.For(scheme);
        // Arbitrary text, nulls, and short runs of the characters the rules treat specially, with a shared prefix so ties happen.
        Gen<string> piece = Gen.OneOf(Gen.String[0, 6], FuzzInputs.TokenSoup(3), Gen.String[Gen.Char["019.~^:+-a"], 0, 5]);
        Gen.Select(piece, piece.Null(), piece.Null(), piece.Null()).Sample((prefix, x, y, z) =>
        {
            string?[] v = [x is null ? null : prefix + x, y is null ? null : prefix + y, z is null ? null : prefix + z];
            foreach (string? a in v)
                foreach (string? b in v)
                    foreach (string? c in v)
                    {
                        int ab = compare.Compare(a, b), bc = compare.Compare(b, c), ac = compare.Compare(a, c);
                        if (ab <= 0 && bc <= 0) Assert.True(ac <= 0, $"'{a}' <= '{b}' <= '{c}' but '{a}' > '{c}'");
                        if (ab == 0 && bc == 0) Assert.True(ac == 0, $"'{a}' == '{b}' == '{c}' but '{a}' != '{c}'");
                    }
        }, iter: FuzzBudget.Iterations(5000));
    }

    [Theory]
    [InlineData(VersionScheme.Rpm)]
    [InlineData(VersionScheme.Dpkg)]
    public void Versions_HugeNumbersAndLongStrings_CompareInBoundedTime(VersionScheme scheme)
    {
        VersionComparer compare = VersionComparer.For(scheme);
        string digits = new('9', 1 << 20);
        string dotted = string.Join('.', Enumerable.Repeat("1", 1 << 19));
        Assert.True(FuzzBudget.Timed(() => compare.Compare(digits + "1", digits), "1 MB of digits") > 0);
        Assert.Equal(0, FuzzBudget.Timed(() => compare.Compare(dotted, dotted), "1 MB dotted version"));
        // A leading tilde sorts before anything: rpm.vercmp("~^+~^+~^+", "1") is -1, and dpkg --compare-versions "~^+~^+" lt 1 holds.
        Assert.True(FuzzBudget.Timed(() => compare.Compare(string.Concat(Enumerable.Repeat("~^+", 1 << 18)), "1"), "1 MB of ~^+") < 0);
    }
}
