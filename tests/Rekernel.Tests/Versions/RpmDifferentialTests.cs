using CsCheck;
using Rekernel.Versions;

namespace Rekernel.Tests.Versions;

/// <summary>Our rpm ordering against the real rpm 4.18 (<c>rpm.vercmp</c> in rpm's Lua), on generated pairs.</summary>
public sealed class RpmDifferentialTests
{
    private const int PairsPerBatch = 800;

    // rpm.vercmp parses [epoch:]version[-release]; without '-' and ':' that is exactly rpmvercmp on the string.
    private static readonly Gen<(string A, string B)> PlainPairs = Pairs(".~^_+");
    private static readonly Gen<(string A, string B)> EvrPairs = Pairs(VersionGenerators.AllSeparators);

    // rpm.vercmp raises a Lua error on an empty version, so both sides must have something.
    private static Gen<(string A, string B)> Pairs(string separators) =>
        Gen.Frequency(
            (3, VersionGenerators.SimilarPair(separators)),
            (1, Gen.Select(VersionGenerators.VersionLike(separators, 8), VersionGenerators.VersionLike(separators, 8))))
        .Where(p => p.Item1.Length > 0 && p.Item2.Length > 0);

    [Fact]
    public void GeneratedVersions_OrderAsRealRpmvercmp() =>
        PlainPairs.Array[PairsPerBatch].Sample(
            batch => AssertSameAsRpm(batch, RpmVersion.Compare), iter: 5, threads: 1, print: Summary);

    [Fact]
    public void GeneratedEvrStrings_OrderAsRealRpmVercmp() =>
        EvrPairs.Array[PairsPerBatch].Sample(
            batch => AssertSameAsRpm(batch, RpmVersion.CompareEvr), iter: 5, threads: 1, print: Summary);

    [Fact]
    public void KernelReleases_OrderAsRealRpm()
    {
        (string, string)[] pairs =
        [
            ("3.10.0-514.6.1.el7.x86_64", "3.10.0-1160.el7.x86_64"),
            ("4.18.0-348.el8.x86_64", "4.18.0-513.5.1.el8_9.x86_64"),
            ("6.5.6-300.fc39.x86_64", "6.6.2-201.fc39.x86_64"),
            ("6.6.1-arch1-1", "6.6.10-arch1-1"),
            ("6.1.0-53-amd64", "6.1.0-9-amd64"),
        ];
        AssertSameAsRpm(pairs, RpmVersion.CompareEvr);
    }

    private static void AssertSameAsRpm((string A, string B)[] pairs, Func<string, string, int> ours)
    {
        int[] rpm = RealTools.RpmVercmp(pairs);
        var mismatches = pairs.Select((p, i) => (p.A, p.B, Rpm: rpm[i], Ours: ours(p.A, p.B)))
            .Where(m => m.Rpm != m.Ours)
            .Take(10)
            .Select(m => $"'{m.A}' vs '{m.B}': rpm {m.Rpm}, ours {m.Ours}")
            .ToList();
        Assert.True(mismatches.Count == 0, "differs from rpm:\n" + string.Join('\n', mismatches));
    }

    private static string Summary((string A, string B)[] batch) => $"{batch.Length} pairs, first '{batch[0].A}' vs '{batch[0].B}'";
}
