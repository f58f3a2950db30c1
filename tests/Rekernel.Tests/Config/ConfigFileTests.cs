using Rekernel.Config;
using Rekernel.Health;
using Rekernel.Tests.Journal;
using Rekernel.Native;

namespace Rekernel.Tests.Config;

public sealed class ConfigFileTests
{
    private const string Path = "/etc/rekernel.conf";

    private static RekernelException Error(string text) =>
        Assert.Throws<RekernelException>(() => ConfigFile.Parse(text, Path));

    [Fact]
    public void ShippedConfig_EverythingCommentedOut_GivesTheDefaults()
    {
        string shipped = File.ReadAllText(System.IO.Path.Combine(TestPaths.Repo, "packaging", "rekernel.conf"));
        RekernelConfig config = ConfigFile.Parse(shipped, Path);
        Assert.Equal(RekernelConfig.Defaults, config);
        // Every key is documented there, so an admin finds each one in the file itself.
        foreach (string key in ConfigFile.Keys) Assert.Contains($"# {key} = ", shipped);
    }

    [Fact]
    public void EveryKey_WithCommentsAndBlankLines_IsRead()
    {
        RekernelConfig config = ConfigFile.Parse("""
            # rekernel settings
            ; an ini-style comment

            target = latest
            append = console=ttyS0,115200
            append=mitigations=off
              remove = quiet
            remove = rhgb
            panic_timeout = 30
            switch = now
            maintenance_window = 02:00-04:30
            auto_stage = yes
            health_command = web: curl -fsS http://127.0.0.1/health?deep=1
            health_command=db:pg_isready -q
            health_command_timeout = 20
            verify_settle_timeout = 120
            allow_tpm2_unlock = yes
            """, Path);
        Assert.Equal(TargetPolicy.Latest, config.Target);
        Assert.Equal<string>(["console=ttyS0,115200", "mitigations=off"], config.Append);
        Assert.Equal<string>(["quiet", "rhgb"], config.Remove);
        Assert.Equal(30, config.PanicTimeout);
        Assert.Equal(SwitchPolicy.Now, config.Switch);
        Assert.Equal(new MaintenanceWindow(new TimeOnly(2, 0), new TimeOnly(4, 30)), config.MaintenanceWindow);
        Assert.True(config.AutoStage);
        Assert.Equal<HealthCommand>([new("web", "curl -fsS http://127.0.0.1/health?deep=1"), new("db", "pg_isready -q")], config.HealthCommands);
        Assert.Equal(TimeSpan.FromSeconds(20), config.HealthCommandTimeout);
        Assert.Equal(TimeSpan.FromSeconds(120), config.VerifySettleTimeout);
        Assert.True(config.AllowTpm2Unlock);
    }

    [Fact]
    public void NoHealthSettings_VerifyWaitsAMinuteForTheMachineToSettle_AndEachCommandGetsAMinute()
    {
        RekernelConfig config = ConfigFile.Parse("", Path);
        Assert.Empty(config.HealthCommands);
        Assert.Equal(TimeSpan.FromSeconds(60), config.VerifySettleTimeout);
        Assert.Equal(TimeSpan.FromSeconds(60), config.HealthCommandTimeout);
    }

    [Fact]
    public void TwoHealthCommandsWithOneName_AreRefused_BecauseTheirChecksWouldBeIndistinguishable()
    {
        RekernelException ex = Error("health_command = web: curl -fsS http://127.0.0.1/\nhealth_command = web: true\n");
        Assert.Equal("/etc/rekernel.conf:2: a health command named 'web' is already set; give each a different name.", ex.Message);
    }

    [Fact]
    public void PanicTimeoutZero_TurnsThePanicFallbackOff()
    {
        Assert.Null(ConfigFile.Parse("panic_timeout = 0\n", Path).PanicTimeout);
    }

    [Fact]
    public void MisspelledKey_NamesFileLineAndTheKnownKeys()
    {
        RekernelException ex = Error("# settings\ntarget = default\napend = console=ttyS0\n");
        Assert.Equal(ExitCode.ConfigError, ex.ExitCode);
        Assert.Equal(
            "/etc/rekernel.conf:3: unknown key 'apend'; known keys: target, append, remove, panic_timeout, switch, maintenance_window, auto_stage, health_command, health_command_timeout, verify_settle_timeout, allow_tpm2_unlock, metrics_file.",
            ex.Message);
    }

    [Theory]
    [InlineData("target = newest", "/etc/rekernel.conf:1: target = 'newest' is not valid; use default or latest.")]
    [InlineData("switch = immediate", "/etc/rekernel.conf:1: switch = 'immediate' is not valid; use graceful or now.")]
    [InlineData("panic_timeout = -5", "/etc/rekernel.conf:1: panic_timeout = '-5' is not valid; use a number of seconds, or 0 for no panic= fallback.")]
    [InlineData("panic_timeout = ten", "/etc/rekernel.conf:1: panic_timeout = 'ten' is not valid; use a number of seconds, or 0 for no panic= fallback.")]
    [InlineData("auto_stage = maybe", "/etc/rekernel.conf:1: auto_stage = 'maybe' is not valid; use yes or no.")]
    [InlineData("remove = quiet rhgb", "/etc/rekernel.conf:1: remove = 'quiet rhgb' is not valid; use one KEY per line (repeat the line for more).")]
    [InlineData("health_command = curl -fsS http://127.0.0.1/", "/etc/rekernel.conf:1: health_command = 'curl -fsS http://127.0.0.1/' is not valid; use NAME: COMMAND, a one-word name then the shell command, e.g. web: curl -fsS http://localhost/health.")]
    [InlineData("health_command = my web: true", "/etc/rekernel.conf:1: health_command = 'my web: true' is not valid; use NAME: COMMAND, a one-word name then the shell command, e.g. web: curl -fsS http://localhost/health.")]
    [InlineData("health_command_timeout = 0", "/etc/rekernel.conf:1: health_command_timeout = '0' is not valid; use a number of seconds, at least 1.")]
    [InlineData("verify_settle_timeout = 1m", "/etc/rekernel.conf:1: verify_settle_timeout = '1m' is not valid; use a number of seconds (0: judge at once).")]
    [InlineData("target =", "/etc/rekernel.conf:1: target has no value; give one or delete the line.")]
    [InlineData("latest", "/etc/rekernel.conf:1: 'latest' is not a 'key = value' line; comments start with #.")]
    public void BadValue_NamesFileLineAndWhatIsAccepted(string line, string message)
    {
        RekernelException ex = Error(line + "\n");
        Assert.Equal(ExitCode.ConfigError, ex.ExitCode);
        Assert.Equal(message, ex.Message);
    }

    [Theory]
    [InlineData("2:00-4:00x")]
    [InlineData("25:00-04:00")]
    [InlineData("02:00")]
    [InlineData("03:00-03:00")]
    public void BadMaintenanceWindow_IsRefused(string window)
    {
        RekernelException ex = Error($"\n\nmaintenance_window = {window}\n");
        Assert.StartsWith($"/etc/rekernel.conf:3: maintenance_window = '{window}' is not valid; use HH:MM-HH:MM", ex.Message);
    }

    [Fact]
    public void KeySetTwice_IsRefusedNamingBothLines()
    {
        RekernelException ex = Error("switch = now\n# later someone added\nswitch = graceful\n");
        Assert.Equal("/etc/rekernel.conf:3: switch is already set on line 1; keep one of them.", ex.Message);
    }

    [Fact]
    public void MissingFile_GivesTheDefaults()
    {
        using var dir = new ScratchDirectory();
        Assert.Same(RekernelConfig.Defaults, ConfigFile.Load(dir.File("rekernel.conf"), Me));
    }

    [Fact]
    public void FileOnDisk_ErrorsNameThatFile()
    {
        using var dir = new ScratchDirectory();
        dir.Write("rekernel.conf", "target = latest\nswitch = fast\n");
        RekernelException ex = Assert.Throws<RekernelException>(() => ConfigFile.Load(dir.File("rekernel.conf"), Me));
        Assert.StartsWith($"{dir.File("rekernel.conf")}:2: switch = 'fast'", ex.Message);
    }

    [Theory]
    [InlineData(UnixFileMode.GroupWrite, "0620")]
    [InlineData(UnixFileMode.OtherWrite, "0602")]
    public void FileWritableByOthers_IsRefused_BecauseItChoosesTheNextKernelsCommandLine(UnixFileMode extra, string mode)
    {
        using var dir = new ScratchDirectory();
        string path = dir.Write("rekernel.conf", "append = init=/bin/sh\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | extra);
        RekernelException ex = Assert.Throws<RekernelException>(() => ConfigFile.Load(path, Me));
        Assert.Equal(ExitCode.ConfigError, ex.ExitCode);
        Assert.Equal($"{path} is writable by group or others (mode {mode}), so another user could choose the next kernel's command line; run chmod go-w {path}.", ex.Message);
    }

    [Fact]
    public void FileOfAnotherUser_IsRefused()
    {
        using var dir = new ScratchDirectory();
        string path = dir.Write("rekernel.conf", "target = latest\n");
        // As root, give the file to another user; otherwise trust a uid that is not ours.
        uint owner = Me == 0 ? 12345 : Me;
        if (Me == 0) Assert.Equal(0, Rekernel.Tests.Packaging.Shell.Run("chown", "12345", path).Exit);
        RekernelException ex = Assert.Throws<RekernelException>(() => ConfigFile.Load(path, Me == 0 ? 0 : Me + 1));
        Assert.StartsWith($"{path} belongs to uid {owner}, not root", ex.Message);
    }

    private static uint Me => Rekernel.Native.UserIdentity.EffectiveUid();

    [Theory]
    [InlineData("02:00-04:00", "03:59", true)]
    [InlineData("02:00-04:00", "04:00", false)]
    [InlineData("02:00-04:00", "01:59", false)]
    [InlineData("23:00-01:30", "23:30", true)]
    [InlineData("23:00-01:30", "00:10", true)]
    [InlineData("23:00-01:30", "12:00", false)]
    public void MaintenanceWindow_ContainsTimesFromStartUntilEnd_AcrossMidnight(string window, string time, bool inside)
    {
        MaintenanceWindow w = MaintenanceWindow.TryParse(window)!.Value;
        Assert.Equal(inside, w.Contains(TimeOnly.Parse(time, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(window, w.ToString());
    }
}
