using Rekernel.Fleet;

namespace Rekernel.Tests.Fleet;

/// <summary>Group names, host ids and slices, without etcd.</summary>
public sealed class FleetModelTests
{
    private static GroupConfig Canary(int max) => new(1, max, Slices.Parse("1, 10%, 25%"), 1800);

    [Theory]
    [InlineData(0, 0, 1)]   // the canary alone
    [InlineData(0, 1, 0)]
    [InlineData(1, 0, 10)]  // then 10% of 100
    [InlineData(5, 6, 0)]   // the 10% slice finishes before the 25% one starts
    [InlineData(11, 0, 20)] // 25% is 25 hosts, but never more than max_concurrent
    [InlineData(36, 3, 17)] // after the slices: max_concurrent
    public void CanarySlices_OnAHundredHosts_OpenOneStageAtATime(int completed, int holders, int free) =>
        Assert.Equal(free, Slices.FreeSlots(Canary(20), 100, completed, holders));

    [Fact]
    public void SliceThatIsNeitherCountNorPercentage_IsAUsageError()
    {
        var error = Assert.Throws<RekernelException>(() => Slices.Parse("1,ten%"));
        Assert.Equal("slice 'ten%' is not a host count or a percentage; give for example --slices 1,10%,25%.", error.Message);
        Assert.Equal(ExitCode.Usage, error.ExitCode);
    }

    [Theory]
    [InlineData("web/../db")]
    [InlineData("")]
    [InlineData("-rf")]
    [InlineData("grüße")]
    public void GroupNameWithOddCharacters_IsRefusedBeforeAnyKeyIsBuilt(string group)
    {
        var error = Assert.Throws<RekernelException>(() => new FleetKeys(group));
        Assert.Equal($"'{group}' is not a valid group name: use 1 to 63 letters, digits, '.', '_' or '-', starting with a letter or digit (--group, or group in rekernel.conf's [fleet]).", error.Message);
    }

    [Fact]
    public void HostKey_LivesUnderTheGroupsHostsPrefix() =>
        Assert.Equal("/rekernel/v1/groups/web/hosts/4f6c0a7e", new FleetKeys("web").Host("4f6c0a7e"));
}
