using Rekernel.Discovery.Uki;

namespace Rekernel.Tests.Discovery.Uki;

public sealed class OsReleaseTests
{
    [Fact]
    public void DebianOsRelease_ShowsPrettyNameAndVersion()
    {
        var osrel = OsRelease.Parse(File.ReadAllText(Path.Combine(TestPaths.Fixtures, "debian12-plain", "usr", "lib", "os-release")));

        Assert.Equal("Debian GNU/Linux 12 (bookworm)", osrel.DisplayName);
        Assert.Equal("12 (bookworm)", osrel.DisplayVersion);
        Assert.Equal("debian", osrel.SortKey);
    }

    [Fact]
    public void WithoutPrettyName_FallsBackToImageIdThenNameThenId()
    {
        Assert.Equal("appliance", OsRelease.Parse("IMAGE_ID=appliance\nNAME=Foo\nID=foo\n").DisplayName);
        Assert.Equal("Foo", OsRelease.Parse("NAME='Foo'\nID=foo\n").DisplayName);
        Assert.Equal("foo", OsRelease.Parse("ID=foo\n").DisplayName);
        Assert.Null(OsRelease.Parse("# nothing\n").DisplayName);
    }

    [Fact]
    public void QuotedValues_AreUnescaped_AndJunkLinesIgnored()
    {
        var osrel = OsRelease.Parse("garbage line\n  PRETTY_NAME=\"Say \\\"hi\\\"\"  \nBAD KEY=x\nVERSION_ID=\n");

        Assert.Equal("Say \"hi\"", osrel.DisplayName);
        Assert.Null(osrel["VERSION_ID"]);
        Assert.Null(osrel["BAD KEY"]);
    }
}
