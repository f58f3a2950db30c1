using Rekernel.Switching;

namespace Rekernel.Tests.Switching;

public sealed class SwitchTimeTests
{
    // 2025-06-01 21:30 UTC is 23:30 in a UTC+2 zone.
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 21, 30, 0, TimeSpan.Zero);
    private static readonly TimeZoneInfo Plus2 = TimeZoneInfo.CreateCustomTimeZone("test+2", TimeSpan.FromHours(2), "test+2", "test+2");

    private static DateTimeOffset At(string text) => SwitchTime.Parse(text, Now, Plus2).At;

    [Theory]
    [InlineData("+90s", 90)]
    [InlineData("+5min", 300)]
    [InlineData("+1h", 3600)]
    [InlineData("+1h30min", 5400)]
    [InlineData("+2d", 172800)]
    [InlineData("+0.5h", 1800)]
    public void RelativeTimes_CountFromNow(string text, int seconds)
    {
        Assert.Equal(Now.AddSeconds(seconds), At(text));
        Assert.False(SwitchTime.Parse(text, Now, Plus2).IsNow);
    }

    [Fact]
    public void Now_IsImmediate()
    {
        SwitchTime t = SwitchTime.Parse("now", Now, Plus2);

        Assert.True(t.IsNow);
        Assert.Equal(Now, t.At);
    }

    [Fact]
    public void WallClockLaterToday_IsToday()
    {
        Assert.Equal(new DateTimeOffset(2025, 6, 1, 23, 45, 0, TimeSpan.FromHours(2)), At("23:45"));
    }

    [Fact]
    public void WallClockAlreadyPassed_IsTomorrow()
    {
        Assert.Equal(new DateTimeOffset(2025, 6, 2, 3, 0, 0, TimeSpan.FromHours(2)), At("03:00"));
    }

    [Fact]
    public void Iso8601WithOffset_IsThatInstant()
    {
        Assert.Equal(new DateTimeOffset(2025, 6, 3, 1, 0, 0, TimeSpan.Zero), At("2025-06-03T03:00:00+02:00"));
        Assert.Equal(new DateTimeOffset(2025, 6, 3, 1, 0, 0, TimeSpan.Zero), At("2025-06-03T01:00:00Z"));
    }

    [Fact]
    public void Iso8601WithoutOffset_IsLocalTime()
    {
        Assert.Equal(new DateTimeOffset(2025, 6, 3, 3, 0, 0, TimeSpan.FromHours(2)), At("2025-06-03T03:00"));
    }

    [Theory]
    [InlineData("tomorrow")]
    [InlineData("+5")]
    [InlineData("+5 fortnights")]
    [InlineData("25:00")]
    [InlineData("")]
    public void Gibberish_IsAUsageErrorListingTheForms(string text)
    {
        var ex = Assert.Throws<RekernelException>(() => SwitchTime.Parse(text, Now, Plus2));

        Assert.Equal(ExitCode.Usage, ex.ExitCode);
        Assert.Contains("use now, +90s, +5min, +1h, HH:MM or an ISO 8601 time", ex.Message);
    }

    [Fact]
    public void TimeInThePast_IsRefusedAsUsage()
    {
        var ex = Assert.Throws<RekernelException>(() => SwitchTime.Parse("2025-05-01T00:00Z", Now, Plus2));

        Assert.Equal(ExitCode.Usage, ex.ExitCode);
        Assert.Contains("that time has passed", ex.Message);
    }
}
