using Rekernel.Config;

namespace Rekernel.Tests.Config;

/// <summary>The [fleet] section of rekernel.conf.</summary>
public sealed class FleetSectionTests
{
    [Fact]
    public void FleetSection_SetsEndpointsGroupAndRepeatedCommands()
    {
        RekernelConfig config = ConfigFile.Parse("""
            maintenance_window = 02:00-04:00
            [fleet]
            endpoints = http://10.0.0.1:2379,http://10.0.0.2:2379
            group = web
            pre_switch = systemctl stop app
            pre_switch = sleep 5
            post_switch = curl -fsS http://localhost/health
            command_timeout = 60
            """, "/etc/rekernel.conf");
        Assert.Equal("http://10.0.0.1:2379,http://10.0.0.2:2379", config.Fleet.Endpoints);
        Assert.Equal("web", config.Fleet.Group);
        Assert.Equal<string>(["systemctl stop app", "sleep 5"], config.Fleet.PreSwitch.ToArray());
        Assert.Equal<string>(["curl -fsS http://localhost/health"], config.Fleet.PostSwitch.ToArray());
        Assert.Equal(60, config.Fleet.CommandTimeoutSeconds);
        Assert.Equal("02:00-04:00", config.MaintenanceWindow.ToString());
    }

    [Fact]
    public void TopLevelKeyInsideFleet_IsRefusedWithTheLine()
    {
        var error = Assert.Throws<RekernelException>(() => ConfigFile.Parse("[fleet]\ntarget = latest\n", "/etc/rekernel.conf"));
        Assert.Equal("/etc/rekernel.conf:2: unknown key 'target' in [fleet]; known keys: endpoints, ca, cert, key, user, password_file, group, host_id, pre_switch, post_switch, command_timeout, poll_interval.", error.Message);
    }

    [Fact]
    public void UnknownSection_IsRefused()
    {
        var error = Assert.Throws<RekernelException>(() => ConfigFile.Parse("[agent]\n", "/etc/rekernel.conf"));
        Assert.Equal("/etc/rekernel.conf:1: unknown section '[agent]'; the only section is [fleet].", error.Message);
        Assert.Equal(ExitCode.ConfigError, error.ExitCode);
    }
}
