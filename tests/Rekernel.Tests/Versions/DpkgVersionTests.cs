using Rekernel.Versions;

namespace Rekernel.Tests.Versions;

public sealed class DpkgVersionTests
{
    /// <summary>
    /// dpkg's own vectors (lib/dpkg/t/t-version.c), its version objects written as the strings they parse from,
    /// plus the ordering examples of Debian Policy 5.6.12.
    /// </summary>
    public static TheoryData<string, string, int> DpkgTestSuite => new()
    {
        // test_version_compare
        { "1-1", "2-1", -1 },
        { "1-1", "1-2", -1 },
        { "0-0", "0-0", 0 },
        { "0-00", "00-0", 0 },
        { "1:2-3", "1:2-3", 0 },
        { "0:0-0", "1:0-0", -1 },
        { "1:0-0", "0:0-0", 1 },
        { "0:a-0", "0:b-0", -1 },
        { "0:b-0", "0:a-0", 1 },
        { "0:0-a", "0:0-b", -1 },
        { "0:0-b", "0:0-a", 1 },
        // test_version_relate
        { "2-1", "1-1", 1 },
        // test_version_parse: the same version written several ways
        { "0", "0:0", 0 },
        { "0:0-0", "0-0", 0 },
        { "0:0.0-0.0", "0.0-0.0", 0 },
        { "1:0", "1:0-", 0 },                    // accepted by the dpkg of t-version.c; 1.21 calls it an empty revision
        { "0:0-0-0", "0-0-0", 0 },
        { "0:0:0-0", "0:0:0-0", 0 },
        { "0:09azAZ.-+~:-0", "0:09azAZ.-+~:-0", 0 },
        { "0:0-azAZ09.+~", "0:0-azAZ09.+~", 0 },
        { "  \t0:0-1", "0:0-1", 0 },
        { "0:0-1\t  ", "0:0-1", 0 },
        { "\t  0:0-1  \t", "0:0-1", 0 },
        { "5:1", "4:9", 1 },
        // Debian Policy: ~~ < ~~a < ~ < (nothing) < a
        { "1~~", "1~~a", -1 },
        { "1~~a", "1~", -1 },
        { "1~", "1", -1 },
        { "1", "1a", -1 },
        { "1.0~rc1-1", "1.0-1", -1 },
        { "1.0-1", "1.0+b1-1", -1 },
        { "1.0-1", "1.0-1+b1", -1 },
        { "1.0-1~bpo12+1", "1.0-1", -1 },
        { "1.0a", "1.0+", -1 },                  // letters sort before other characters
        { "1.0Z", "1.0a", -1 },                  // ... in ASCII order
        { "1.0", "1.00", 0 },
        { "1.0", "1.0.0", -1 },
        { "", "0", -1 },                         // dpkg --compare-versions: no version is older than any
        { "", "<unknown>", 0 },
    };

    [Theory]
    [MemberData(nameof(DpkgTestSuite))]
    public void DpkgTestSuiteVector_ComparesAsDpkg(string a, string b, int expected)
    {
        Assert.Equal(expected, DpkgVersion.Compare(a, b));
        Assert.Equal(-expected, DpkgVersion.Compare(b, a));
    }

    [Theory]
    [InlineData("6.1.0-9-amd64", "6.1.0-53-amd64")]
    [InlineData("6.1.0-47-cloud-amd64", "6.1.0-53-cloud-amd64")]
    [InlineData("6.1.0-0.deb11.13-amd64", "6.1.0-13-amd64")]
    [InlineData("5.10.0-28-amd64", "6.1.0-9-amd64")]
    [InlineData("5.15.0-91-generic", "5.15.0-101-generic")]
    [InlineData("6.5.0-14-generic", "6.8.0-31-generic")]
    [InlineData("4.19.0-6-amd64", "4.19.0-26-amd64")]
    public void KernelReleases_OlderSortsFirst(string older, string newer)
    {
        Assert.Equal(-1, DpkgVersion.Compare(older, newer));
        Assert.Equal(1, DpkgVersion.Compare(newer, older));
    }

    [Theory]
    [InlineData("1.0 2", "1.0 2")]       // embedded space: dpkg refuses, we stay total
    [InlineData("a:1", "a:1")]           // epoch not a number
    [InlineData("1:", "1:")]             // nothing after the colon
    [InlineData("1.0-", "1.0-")]         // empty revision
    public void VersionsDpkgRefuses_StillCompareWithoutThrowing(string a, string b)
    {
        Assert.Equal(0, DpkgVersion.Compare(a, b));
        Assert.NotEqual(0, DpkgVersion.Compare(a, "99:0"));
    }

    [Fact]
    public void NonAscii_SortsBetweenLettersAndAsciiPunctuation_AsDpkgSignedChar()
    {
        Assert.Equal(-1, DpkgVersion.Compare("1.0z", "1.0\u00e9"));
        Assert.Equal(-1, DpkgVersion.Compare("1.0\u00e9", "1.0+"));
    }
}
