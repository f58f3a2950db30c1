using System.Globalization;
using System.Text.RegularExpressions;

namespace Rekernel.Switching;

/// <summary>When a switch should happen, as given to <c>--when</c>: now, or a moment in the future.</summary>
public readonly partial record struct SwitchTime
{
    private SwitchTime(DateTimeOffset at, bool isNow)
    {
        At = at;
        IsNow = isNow;
    }

    /// <summary>The moment of the switch (for <see cref="IsNow"/>, the moment of parsing).</summary>
    public DateTimeOffset At { get; }

    public bool IsNow { get; }

    /// <summary>
    /// Parses <c>now</c>, a relative time (<c>+90s</c>, <c>+5min</c>, <c>+1h</c>, <c>+2d</c>, units may combine:
    /// <c>+1h30min</c>), a wall-clock time <c>HH:MM</c> (today, or tomorrow once it has passed) in
    /// <paramref name="zone"/>, or an ISO 8601 date and time (local to <paramref name="zone"/> without an offset).
    /// A time in the past is a usage error.
    /// </summary>
    public static SwitchTime Parse(string text, DateTimeOffset now, TimeZoneInfo zone)
    {
        string t = text.Trim();
        if (t.Equals("now", StringComparison.OrdinalIgnoreCase)) return new SwitchTime(now, isNow: true);
        DateTimeOffset at;
        try
        {
            at = t.StartsWith('+') ? now + Relative(t)
                : ClockPattern().Match(t) is { Success: true } clock ? NextWallClock(clock, now, zone)
                : Absolute(t, zone);
        }
        catch (Exception ex) when (ex is ArgumentOutOfRangeException or OverflowException)
        {
            // "+3548598d" lies beyond the year 9999.
            throw new RekernelException(ExitCode.Usage, $"{text}: that time is too far away; give a time such as +5min or HH:MM.", ex);
        }
        if (at < now) ThrowHelper.Usage($"{text}: that time has passed; give a future time such as +5min or HH:MM.");
        return new SwitchTime(at, isNow: false);
    }

    private static TimeSpan Relative(string t)
    {
        MatchCollection parts = RelativePart().Matches(t[1..]);
        if (parts.Count == 0 || parts.Sum(p => p.Length) != t.Length - 1) BadTime(t);
        TimeSpan total = TimeSpan.Zero;
        foreach (Match p in parts)
        {
            double n = double.Parse(p.Groups[1].Value, CultureInfo.InvariantCulture);
            total += p.Groups[2].Value.ToLowerInvariant() switch
            {
                "s" or "sec" or "secs" or "second" or "seconds" => TimeSpan.FromSeconds(n),
                "m" or "min" or "mins" or "minute" or "minutes" => TimeSpan.FromMinutes(n),
                "h" or "hr" or "hour" or "hours" => TimeSpan.FromHours(n),
                "d" or "day" or "days" => TimeSpan.FromDays(n),
                _ => BadTime(t),
            };
        }
        return total;
    }

    private static DateTimeOffset NextWallClock(Match clock, DateTimeOffset now, TimeZoneInfo zone)
    {
        int hour = int.Parse(clock.Groups[1].Value, CultureInfo.InvariantCulture);
        int minute = int.Parse(clock.Groups[2].Value, CultureInfo.InvariantCulture);
        if (hour > 23 || minute > 59) BadTime(clock.Value);
        DateTime localNow = TimeZoneInfo.ConvertTime(now, zone).DateTime;
        DateTime candidate = localNow.Date.AddHours(hour).AddMinutes(minute);
        if (candidate <= localNow) candidate = candidate.AddDays(1);
        return new DateTimeOffset(candidate, zone.GetUtcOffset(candidate));
    }

    private static DateTimeOffset Absolute(string t, TimeZoneInfo zone)
    {
        if (!DateTime.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out DateTime parsed) || !t.Contains('-')) BadTime(t);
        return parsed.Kind == DateTimeKind.Unspecified
            ? new DateTimeOffset(parsed, zone.GetUtcOffset(parsed))
            : new DateTimeOffset(parsed.ToUniversalTime(), TimeSpan.Zero);
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static TimeSpan BadTime(string t) =>
        throw new RekernelException(ExitCode.Usage, $"{t}: not a time; use now, +90s, +5min, +1h, HH:MM or an ISO 8601 time like 2025-06-01T03:00.");

    [GeneratedRegex(@"^([01]?\d|2[0-3]):([0-5]\d)$")]
    private static partial Regex ClockPattern();

    [GeneratedRegex(@"(\d+(?:\.\d+)?)\s*([a-zA-Z]+)")]
    private static partial Regex RelativePart();
}
