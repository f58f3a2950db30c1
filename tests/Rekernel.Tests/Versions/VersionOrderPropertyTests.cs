using CsCheck;
using Rekernel.Versions;

namespace Rekernel.Tests.Versions;

/// <summary>Sorting kernels is only sound if each scheme is a total preorder; these check that on generated versions.</summary>
public sealed class VersionOrderPropertyTests
{
    private static readonly Gen<string> Versions = VersionGenerators.VersionLike(VersionGenerators.AllSeparators, 8);

    private static Func<string, string, int> CompareOf(VersionScheme scheme, bool evr) =>
        evr ? RpmVersion.CompareEvr : (a, b) => VersionComparer.For(scheme).Compare(a, b);

    [Theory]
    [InlineData(VersionScheme.Rpm, false)]
    [InlineData(VersionScheme.Rpm, true)]
    [InlineData(VersionScheme.Dpkg, false)]
    public void AnyTwoVersions_CompareAntisymmetrically(VersionScheme scheme, bool evr)
    {
        var compare = CompareOf(scheme, evr);
        Gen.Select(Versions, Versions).Sample((a, b) =>
        {
            Assert.Equal(0, compare(a, a));
            Assert.Equal(Math.Sign(compare(a, b)), -Math.Sign(compare(b, a)));
        }, iter: 20_000);
        VersionGenerators.SimilarPair(VersionGenerators.AllSeparators).Sample(p =>
            Assert.Equal(Math.Sign(compare(p.A, p.B)), -Math.Sign(compare(p.B, p.A))), iter: 20_000);
    }

    [Theory]
    [InlineData(VersionScheme.Rpm, false)]
    [InlineData(VersionScheme.Rpm, true)]
    [InlineData(VersionScheme.Dpkg, false)]
    public void AnyThreeVersions_CompareTransitively(VersionScheme scheme, bool evr)
    {
        var compare = CompareOf(scheme, evr);
        // Triples from a shared prefix, so that they are often close enough for transitivity to be at stake.
        var triples = Gen.Select(VersionGenerators.VersionLike(VersionGenerators.AllSeparators, 4), Versions, Versions, Versions)
            .Select(t => (A: t.Item1 + t.Item2, B: t.Item1 + t.Item3, C: t.Item1 + t.Item4));
        triples.Sample(t =>
        {
            // Sort the three, then every ordered pair must agree with the sort.
            string[] s = [t.A, t.B, t.C];
            Array.Sort(s, (x, y) => compare(x, y));
            Assert.True(compare(s[0], s[1]) <= 0 && compare(s[1], s[2]) <= 0 && compare(s[0], s[2]) <= 0,
                $"not transitive: '{s[0]}' <= '{s[1]}' <= '{s[2]}'");
            if (compare(s[0], s[1]) == 0 && compare(s[1], s[2]) == 0) Assert.Equal(0, compare(s[0], s[2]));
        }, iter: 20_000);
    }
}
