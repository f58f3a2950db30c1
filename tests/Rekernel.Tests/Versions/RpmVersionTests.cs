using Rekernel.Versions;

namespace Rekernel.Tests.Versions;

public sealed class RpmVersionTests
{
    /// <summary>
    /// rpm 4.18's own vectors (tests/rpmvercmp.at), including the "oddities" it documents in comments
    /// (RhBug:811992, non-ASCII characters acting as separators): an exact port must reproduce those too.
    /// </summary>
    public static TheoryData<string, string, int> RpmTestSuite => new()
    {
        { "1.0", "1.0", 0 },
        { "1.0", "2.0", -1 },
        { "2.0", "1.0", 1 },
        { "2.0.1", "2.0.1", 0 },
        { "2.0", "2.0.1", -1 },
        { "2.0.1", "2.0", 1 },
        { "2.0.1a", "2.0.1a", 0 },
        { "2.0.1a", "2.0.1", 1 },
        { "2.0.1", "2.0.1a", -1 },
        { "5.5p1", "5.5p1", 0 },
        { "5.5p1", "5.5p2", -1 },
        { "5.5p2", "5.5p1", 1 },
        { "5.5p10", "5.5p10", 0 },
        { "5.5p1", "5.5p10", -1 },
        { "5.5p10", "5.5p1", 1 },
        { "10xyz", "10.1xyz", -1 },
        { "10.1xyz", "10xyz", 1 },
        { "xyz10", "xyz10", 0 },
        { "xyz10", "xyz10.1", -1 },
        { "xyz10.1", "xyz10", 1 },
        { "xyz.4", "xyz.4", 0 },
        { "xyz.4", "8", -1 },
        { "8", "xyz.4", 1 },
        { "xyz.4", "2", -1 },
        { "2", "xyz.4", 1 },
        { "5.5p2", "5.6p1", -1 },
        { "5.6p1", "5.5p2", 1 },
        { "5.6p1", "6.5p1", -1 },
        { "6.5p1", "5.6p1", 1 },
        { "6.0.rc1", "6.0", 1 },
        { "6.0", "6.0.rc1", -1 },
        { "10b2", "10a1", 1 },
        { "10a2", "10b2", -1 },
        { "1.0aa", "1.0aa", 0 },
        { "1.0a", "1.0aa", -1 },
        { "1.0aa", "1.0a", 1 },
        { "10.0001", "10.0001", 0 },
        { "10.0001", "10.1", 0 },
        { "10.1", "10.0001", 0 },
        { "10.0001", "10.0039", -1 },
        { "10.0039", "10.0001", 1 },
        { "4.999.9", "5.0", -1 },
        { "5.0", "4.999.9", 1 },
        { "20101121", "20101121", 0 },
        { "20101121", "20101122", -1 },
        { "20101122", "20101121", 1 },
        { "2_0", "2_0", 0 },
        { "2.0", "2_0", 0 },
        { "2_0", "2.0", 0 },
        { "a", "a", 0 },
        { "a+", "a+", 0 },
        { "a+", "a_", 0 },
        { "a_", "a+", 0 },
        { "+a", "+a", 0 },
        { "+a", "_a", 0 },
        { "_a", "+a", 0 },
        { "+_", "+_", 0 },
        { "_+", "+_", 0 },
        { "_+", "_+", 0 },
        { "+", "_", 0 },
        { "_", "+", 0 },
        { "1.0~rc1", "1.0~rc1", 0 },
        { "1.0~rc1", "1.0", -1 },
        { "1.0", "1.0~rc1", 1 },
        { "1.0~rc1", "1.0~rc2", -1 },
        { "1.0~rc2", "1.0~rc1", 1 },
        { "1.0~rc1~git123", "1.0~rc1~git123", 0 },
        { "1.0~rc1~git123", "1.0~rc1", -1 },
        { "1.0~rc1", "1.0~rc1~git123", 1 },
        { "1.0^", "1.0^", 0 },
        { "1.0^", "1.0", 1 },
        { "1.0", "1.0^", -1 },
        { "1.0^git1", "1.0^git1", 0 },
        { "1.0^git1", "1.0", 1 },
        { "1.0", "1.0^git1", -1 },
        { "1.0^git1", "1.0^git2", -1 },
        { "1.0^git2", "1.0^git1", 1 },
        { "1.0^git1", "1.01", -1 },
        { "1.01", "1.0^git1", 1 },
        { "1.0^20160101", "1.0^20160101", 0 },
        { "1.0^20160101", "1.0.1", -1 },
        { "1.0.1", "1.0^20160101", 1 },
        { "1.0^20160101^git1", "1.0^20160101^git1", 0 },
        { "1.0^20160102", "1.0^20160101^git1", 1 },
        { "1.0^20160101^git1", "1.0^20160102", -1 },
        { "1.0~rc1^git1", "1.0~rc1^git1", 0 },
        { "1.0~rc1^git1", "1.0~rc1", 1 },
        { "1.0~rc1", "1.0~rc1^git1", -1 },
        { "1.0^git1~pre", "1.0^git1~pre", 0 },
        { "1.0^git1", "1.0^git1~pre", 1 },
        { "1.0^git1~pre", "1.0^git1", -1 },
        { "1b.fc17", "1b.fc17", 0 },
        { "1b.fc17", "1.fc17", -1 },
        { "1.fc17", "1b.fc17", 1 },
        { "1g.fc17", "1g.fc17", 0 },
        { "1g.fc17", "1.fc17", 1 },
        { "1.fc17", "1g.fc17", -1 },
        { "1.1.α", "1.1.α", 0 },
        { "1.1.α", "1.1.β", 0 },
        { "1.1.β", "1.1.α", 0 },
        { "1.1.αα", "1.1.α", 0 },
        { "1.1.α", "1.1.ββ", 0 },
        { "1.1.ββ", "1.1.αα", 0 },
    };

    [Theory]
    [MemberData(nameof(RpmTestSuite))]
    public void RpmTestSuiteVector_ComparesAsRpmvercmp(string a, string b, int expected) =>
        Assert.Equal(expected, RpmVersion.Compare(a, b));

    [Theory]
    [InlineData("3.10.0-514.6.1.el7.x86_64", "3.10.0-1160.el7.x86_64")]
    [InlineData("3.10.0-1160.el7.x86_64", "3.10.0-1160.2.1.el7.x86_64")]
    [InlineData("3.10.0-957.el7.x86_64", "3.10.0-1062.el7.x86_64")]
    [InlineData("4.18.0-348.el8.x86_64", "4.18.0-513.5.1.el8_9.x86_64")]
    [InlineData("4.18.0-80.el8.x86_64", "4.18.0-348.el8.x86_64")]
    [InlineData("5.14.0-284.30.1.el9_2.x86_64", "5.14.0-362.8.1.el9_3.x86_64")]
    [InlineData("6.5.6-300.fc39.x86_64", "6.5.12-300.fc39.x86_64")]
    [InlineData("6.5.12-300.fc39.x86_64", "6.6.2-201.fc39.x86_64")]
    [InlineData("6.6.1-arch1-1", "6.6.10-arch1-1")]
    [InlineData("6.6.1-arch1-1", "6.6.1-arch2-1")]
    [InlineData("6.6.1-arch1-1", "6.6.1-arch1-2")]
    [InlineData("6.7.0-0.rc1.20231030git.fc40.x86_64", "6.7.0-0.rc2.fc40.x86_64")]
    public void KernelReleases_OlderSortsFirst(string older, string newer)
    {
        Assert.Equal(-1, RpmVersion.Compare(older, newer));
        Assert.Equal(1, RpmVersion.Compare(newer, older));
        Assert.Equal(-1, RpmVersion.CompareEvr(older, newer));
    }

    [Theory]
    [InlineData("1:1.0-1", "2.0-1", 1)]          // epoch wins over version
    [InlineData("0:1.0-1", "1.0-1", 0)]          // a missing epoch is 0
    [InlineData(":1.0-1", "0:1.0-1", 0)]         // an empty epoch is 0
    [InlineData("1.0-2", "1.0-10", -1)]
    [InlineData("1.0", "1.0-1", -1)]             // no release is older than any release
    [InlineData("1.0-", "1.0", 1)]               // ... even an empty one
    [InlineData("1.0-1", "1.0.1-0", -1)]         // version before release, unlike one rpmvercmp over the whole
    [InlineData("2:1-1", "10:1-1", -1)]          // epochs compare as numbers
    [InlineData("a:1", "1", -1)]                 // not digits before ':' means no epoch: "a:1" is the version
    [InlineData("1.0-1-2", "1.0-1-10", -1)]      // the release follows the last '-'
    public void Evr_ComparesEpochThenVersionThenRelease(string a, string b, int expected)
    {
        Assert.Equal(expected, RpmVersion.CompareEvr(a, b));
        Assert.Equal(-expected, RpmVersion.CompareEvr(b, a));
    }

    [Fact]
    public void EmbeddedNul_EndsTheVersion_AsForRpm() =>
        Assert.Equal(0, RpmVersion.Compare("1.0\0garbage", "1.0"));

    [Fact]
    public void HugeNumbers_CompareWithoutOverflow() =>
        Assert.Equal(1, RpmVersion.Compare("1.100000000000000000000000000001", "1.99999999999999999999999999999"));
}
