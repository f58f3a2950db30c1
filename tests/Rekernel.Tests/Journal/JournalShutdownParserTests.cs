using Rekernel.Journal;
using Rekernel.Downtime;

namespace Rekernel.Tests.Journal;

/// <summary>`journalctl -b BOOT -o json --since` of the boot that asked for a switch, captured in the full-OS lab guest.</summary>
public sealed class JournalShutdownParserTests
{
    private static readonly DateTimeOffset RequestedAt = DateTimeOffset.Parse("2026-11-25T16:25:55.8505334+00:00", System.Globalization.CultureInfo.InvariantCulture);

    private static string[] Lines() => File.ReadAllLines(Path.Combine(TestPaths.Fixtures, "debian12-os", "journal-switch-boot.json"));

    [Fact]
    public void Debian12_GracefulSwitch_LastLineIsJournaldStopping()
    {
        ShutdownTimeline t = JournalShutdownParser.Parse(Lines(), RequestedAt)!;
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1795623962410).AddTicks(6860), t.LastEntry);
        Assert.Equal(6.56, (t.LastEntry - RequestedAt).TotalSeconds, 2);
    }

    [Fact]
    public void Debian12_GracefulSwitch_SlowestStopsPairStoppingAndStopped()
    {
        IReadOnlyList<UnitTime> top = JournalShutdownParser.Parse(Lines(), RequestedAt)!.Slowest(5);
        Assert.Equal("kexec-load.service", top[0].Unit);
        Assert.Equal(1.522, top[0].Seconds, 3);
        Assert.Equal(5, top.Count);
        Assert.True(top.Zip(top.Skip(1)).All(p => p.First.Seconds >= p.Second.Seconds));
    }

    [Fact]
    public void EntriesBeforeTheSwitch_AreIgnored()
    {
        ShutdownTimeline? t = JournalShutdownParser.Parse(Lines(), RequestedAt.AddHours(1));
        Assert.Null(t);
    }

    [Fact]
    public void BrokenLinesAndByteArrayFields_AreSkipped()
    {
        string[] lines =
        [
            "not json",
            "{\"__REALTIME_TIMESTAMP\":\"2000000\",\"UNIT\":[97,98],\"MESSAGE_ID\":\"" + JournalShutdownParser.UnitStopping + "\"}",
            "{\"__REALTIME_TIMESTAMP\":\"1000000\",\"UNIT\":\"a.service\",\"MESSAGE_ID\":\"" + JournalShutdownParser.UnitStopping + "\"}",
            "{\"__REALTIME_TIMESTAMP\":\"3500000\",\"UNIT\":\"a.service\",\"MESSAGE_ID\":\"" + JournalShutdownParser.UnitStopped + "\"}",
            "",
        ];
        ShutdownTimeline t = JournalShutdownParser.Parse(lines, DateTimeOffset.UnixEpoch)!;
        Assert.Equal([new UnitTime("a.service", 2.5)], t.Units);
        Assert.Equal(DateTimeOffset.UnixEpoch.AddSeconds(3.5), t.LastEntry);
    }
}
