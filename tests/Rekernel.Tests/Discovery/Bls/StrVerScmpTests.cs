using CsCheck;
using Rekernel.Versions;

namespace Rekernel.Tests.Discovery.Bls;

public sealed class StrVerScmpTests
{
    // The ladder from the comment above strverscmp_improved() in systemd, oldest first.
    private static readonly string[] SystemdLadder =
        ["122.1", "123~rc1-1", "123", "123-a", "123-a.1", "123-1", "123-1.1", "123^post1", "123.a-1", "123.1-1", "123a-1", "124-1"];

    [Fact]
    public void SystemdDocumentedLadder_IsStrictlyIncreasing()
    {
        for (int i = 0; i < SystemdLadder.Length; i++)
        {
            for (int j = 0; j < SystemdLadder.Length; j++)
            {
                Assert.Equal(Math.Sign(i.CompareTo(j)), StrVerScmp.Compare(SystemdLadder[i], SystemdLadder[j]));
            }
        }
    }

    [Theory]
    [InlineData("6.5.12-300.fc39.x86_64", "6.5.6-300.fc39.x86_64", 1)]
    [InlineData("4.18.0-477.10.1.el8_8.x86_64", "4.18.0-348.el8.x86_64", 1)]
    [InlineData("5.11.0-0.rc5.20210128git76c057c84d28.137.fc34", "5.11.0-1.fc34", -1)]
    [InlineData("00123", "123", 0)]
    [InlineData("123_a", "123a", 0)]
    [InlineData("abc", "abcde", -1)]
    [InlineData("", "0", -1)]
    [InlineData(null, "", 0)]
    [InlineData("1.0~rc1", "1.0", -1)]
    [InlineData("arch.conf", "arch-lts.conf", 1)]
    public void KernelReleases_CompareLikeSystemd(string? a, string? b, int expected)
    {
        Assert.Equal(expected, StrVerScmp.Compare(a, b));
        Assert.Equal(-expected, StrVerScmp.Compare(b, a));
    }

    [Fact]
    public void AnyStrings_OrderIsAntisymmetricAndTerminates()
    {
        Gen.String[Gen.Char["0123456789ab.-~^_+"], 0, 12].Select(Gen.String[Gen.Char["0123456789ab.-~^_+"], 0, 12])
            .Sample((a, b) =>
            {
                Assert.Equal(-StrVerScmp.Compare(a, b), StrVerScmp.Compare(b, a));
                Assert.Equal(0, StrVerScmp.Compare(a, a));
            });
    }
}
