using CsCheck;
using Rekernel.Versions;

namespace Rekernel.Tests.Versions;

/// <summary>Our dpkg ordering against the real <c>dpkg --compare-versions</c>, on generated pairs.</summary>
public sealed class DpkgDifferentialTests
{
    // dpkg costs a process per pair (2 ms on an idle machine, far more on a busy one), so fewer pairs than for rpm.
    private const int PairsPerRun = 300;

    private static readonly Gen<string> Epoch = Gen.Frequency(
        (4, Gen.Const("")),
        (1, Gen.OneOf("0:", "1:", "2:", "10:", "00:", "01:")));

    // '_' and '^' make dpkg warn but still compare (they sort as punctuation), so they are in.
    private static readonly Gen<string> Versions =
        Gen.Select(Epoch, VersionGenerators.VersionLike(".-+~:_^", 8), (e, v) => e + v).Where(Accepted);

    private static readonly Gen<(string A, string B)> Pairs = Gen.Frequency(
        (3, VersionGenerators.SimilarPair(".-+~:_^").Select(Epoch, (p, e) => (e + p.A, e + p.B))
            .Where(p => Accepted(p.Item1) && Accepted(p.Item2))),
        (1, Gen.Select(Versions, Versions)));

    [Fact]
    public void GeneratedVersions_OrderAsRealDpkg() =>
        Pairs.Array[PairsPerRun].Sample(AssertSameAsDpkg, iter: 1, threads: 1, print: b => $"{b.Length} pairs");

    [Fact]
    public void KernelReleases_OrderAsRealDpkg() => AssertSameAsDpkg(
    [
        ("6.1.0-53-amd64", "6.1.0-9-amd64"),
        ("6.1.0-0.deb11.13-amd64", "6.1.0-13-amd64"),
        ("5.15.0-91-generic", "5.15.0-101-generic"),
        ("6.1.0-47-cloud-amd64", "6.1.0-53-cloud-amd64"),
        ("6.1.0-53-amd64", "6.1.0-53-amd64"),
        ("", "6.1.0-9-amd64"),
    ]);

    /// <summary>
    /// Asks dpkg whether our answer holds (lt, eq or gt): one dpkg run per pair still checks the exact sign.
    /// </summary>
    private static void AssertSameAsDpkg((string A, string B)[] pairs)
    {
        var triples = pairs.Select(p => (p.A, RealTools.DpkgRelation(DpkgVersion.Compare(p.A, p.B)), p.B)).ToArray();
        bool[] holds = RealTools.DpkgHolds(triples);
        var mismatches = triples.Where((_, i) => !holds[i])
            .Take(10)
            .Select(t => $"'{t.Item1}' {t.Item2} '{t.Item3}' is what we say, dpkg disagrees")
            .ToList();
        Assert.True(mismatches.Count == 0, "differs from dpkg:\n" + string.Join('\n', mismatches));
    }

    /// <summary>
    /// What dpkg accepts (possibly with a warning) rather than refuses: the epoch before the first ':' is a number,
    /// something follows the colon, and neither the upstream version nor the revision around the last '-' is empty.
    /// </summary>
    private static bool Accepted(string v)
    {
        if (v.Length == 0) return true;
        int colon = v.IndexOf(':', StringComparison.Ordinal);
        string rest = v;
        if (colon >= 0)
        {
            if (colon == 0 || !v[..colon].All(char.IsAsciiDigit) || colon > 9) return false;
            rest = v[(colon + 1)..];
            if (rest.Length == 0) return false;
        }
        int hyphen = rest.LastIndexOf('-');
        return hyphen < 0 || (hyphen > 0 && hyphen < rest.Length - 1);
    }
}
