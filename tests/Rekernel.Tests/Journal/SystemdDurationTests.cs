using Rekernel.Journal;
using Rekernel.Downtime;

namespace Rekernel.Tests.Journal;

public sealed class SystemdDurationTests
{
    [Theory]
    [InlineData("2.345s", 2.345)]
    [InlineData("345ms", 0.345)]
    [InlineData("1min 2.5s", 62.5)]
    [InlineData("1h 2min 3s", 3723)]
    [InlineData("12us", 0.000012)]
    public void SystemdTimeSpans_AreSeconds(string text, double seconds) =>
        Assert.Equal(seconds, SystemdDuration.Seconds(text)!.Value, 6);

    [Theory]
    [InlineData("")]
    [InlineData("fast")]
    [InlineData("2.5 parsecs")]
    [InlineData("12")]
    public void NotATimeSpan_IsNull(string text) => Assert.Null(SystemdDuration.Seconds(text));
}
