using Rekernel.Versions;

namespace Rekernel.Tests.Versions;

public sealed class VersionComparerTests
{
    [Fact]
    public void Centos7_KernelList_SortsOldestToNewest()
    {
        string[] kernels = ["3.10.0-1160.el7.x86_64", "3.10.0-514.6.1.el7.x86_64", "3.10.0-1160.2.1.el7.x86_64", "3.10.0-957.el7.x86_64"];
        Assert.Equal(
            ["3.10.0-514.6.1.el7.x86_64", "3.10.0-957.el7.x86_64", "3.10.0-1160.el7.x86_64", "3.10.0-1160.2.1.el7.x86_64"],
            kernels.Order(VersionComparer.For(VersionScheme.Rpm)));
    }

    [Fact]
    public void Debian12_KernelList_SortsOldestToNewest()
    {
        string[] kernels = ["6.1.0-53-amd64", "6.1.0-9-amd64", "6.1.0-47-amd64", "5.10.0-28-amd64"];
        Assert.Equal(
            ["5.10.0-28-amd64", "6.1.0-9-amd64", "6.1.0-47-amd64", "6.1.0-53-amd64"],
            kernels.Order(VersionComparer.For(VersionScheme.Dpkg)));
    }

    [Fact]
    public void Debian_Plain_StringSort_WouldPickTheWrongKernel()
    {
        string[] kernels = ["6.1.0-9-amd64", "6.1.0-53-amd64"];
        Assert.Equal("6.1.0-9-amd64", kernels.Max(StringComparer.Ordinal));
        Assert.Equal("6.1.0-53-amd64", kernels.Max(VersionComparer.For(VersionScheme.Dpkg)));
    }

    [Theory]
    [InlineData(VersionScheme.Rpm)]
    [InlineData(VersionScheme.Dpkg)]
    public void MissingVersion_SortsBeforeEveryVersion(VersionScheme scheme)
    {
        var comparer = VersionComparer.For(scheme);
        Assert.Equal(-1, comparer.Compare(null, "0"));
        Assert.Equal(1, comparer.Compare("0", null));
        Assert.Equal(0, comparer.Compare(null, null));
        Assert.Equal([null, "1", "2"], new[] { "2", null, "1" }.Order(comparer));
    }

    [Fact]
    public void For_ReturnsTheComparerOfTheScheme()
    {
        Assert.Equal(VersionScheme.Rpm, VersionComparer.For(VersionScheme.Rpm).Scheme);
        Assert.Equal(VersionScheme.Dpkg, VersionComparer.For(VersionScheme.Dpkg).Scheme);
        Assert.Throws<ArgumentOutOfRangeException>(() => VersionComparer.For((VersionScheme)42));
    }

    [Fact]
    public void Rpm_TildeRelease_SortsBeforeTheRelease_LikeDpkg()
    {
        Assert.Equal(-1, VersionComparer.For(VersionScheme.Rpm).Compare("6.7.0~rc1", "6.7.0"));
        Assert.Equal(-1, VersionComparer.For(VersionScheme.Dpkg).Compare("6.7.0~rc1", "6.7.0"));
    }
}
