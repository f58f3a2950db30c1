using Rekernel.Journal;
using Rekernel.Downtime;

namespace Rekernel.Tests.Journal;

public sealed class DowntimeExplainerTests
{
    private static string Fixture(string name) => File.ReadAllText(Path.Combine(TestPaths.Fixtures, "debian12-os", name));

    private static readonly SwitchRecord Switch = new()
    {
        FromVersion = "6.1.0-47-cloud-amd64",
        ToVersion = "6.1.0-53-cloud-amd64",
        RequestedAt = DateTimeOffset.Parse("2026-11-25T16:25:55.8505334+00:00", System.Globalization.CultureInfo.InvariantCulture),
        Mode = SwitchMode.Graceful,
        Outcome = SwitchOutcome.Success,
        DowntimeSeconds = 10.893,
        BootId = "71e951e2-bc60-4491-a996-ef652c24a733",
    };

    [Fact]
    public void Debian12_GracefulSwitch_DowntimeByPhase()
    {
        var calls = new List<string>();
        var explainer = new DowntimeExplainer((program, args) =>
        {
            calls.Add(program + " " + string.Join(' ', args));
            return (program, args[0]) switch
            {
                ("journalctl", _) => Fixture("journal-switch-boot.json"),
                ("systemd-analyze", "time") => Fixture("systemd-analyze-time.txt"),
                ("systemd-analyze", "blame") => Fixture("systemd-analyze-blame.txt"),
                _ => throw new InvalidOperationException(program),
            };
        });

        DowntimeExplanation e = explainer.Explain(Switch);

        Assert.Equal("journalctl -b 71e951e2bc604491a996ef652c24a733 -o json --no-pager --since @1795623954", calls[0]);
        Assert.Equal(6.56, e.ShutdownSeconds!.Value, 2);
        Assert.Equal(10.893 - 6.56, e.JumpSeconds!.Value, 2);
        Assert.Equal(10.893 + 14.710 + 42.317, e.UntilTargetSeconds!.Value, 3);
        Assert.Equal("apparmor.service", e.SlowestToStart[0].Unit);
        Assert.Equal(5, e.SlowestToStart.Count);
    }

    [Fact]
    public void VolatileJournal_ShutdownUnknown_StartupStillExplained()
    {
        var explainer = new DowntimeExplainer((program, args) => program == "journalctl" ? "" : args[0] == "time" ? Fixture("systemd-analyze-time.txt") : "");
        DowntimeExplanation e = explainer.Explain(Switch);
        Assert.Null(e.Shutdown);
        Assert.Null(e.ShutdownSeconds);
        Assert.Null(e.JumpSeconds);
        Assert.Equal(14.710, e.Startup!.KernelUntilInit, 3);
    }
}
