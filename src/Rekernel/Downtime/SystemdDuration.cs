using System.Globalization;

namespace Rekernel.Downtime;

/// <summary>Durations as systemd prints them (<c>format_timespan</c>): "1min 2.345s", "345ms", "1h 2min", "12us".</summary>
public static class SystemdDuration
{
    /// <summary>Seconds, or null when <paramref name="text"/> is not a systemd time span.</summary>
    public static double? Seconds(string text)
    {
        string[] parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) return null;
        double total = 0;
        foreach (string part in parts)
        {
            int unitStart = part.Length;
            while (unitStart > 0 && char.IsAsciiLetter(part[unitStart - 1])) unitStart--;
            if (unitStart == 0 || unitStart == part.Length) return null;
            if (!double.TryParse(part.AsSpan(0, unitStart), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value)) return null;
            double? scale = UnitSeconds(part[unitStart..]);
            if (scale is null) return null;
            total += value * scale.Value;
        }
        return total;
    }

    private static double? UnitSeconds(string unit) => unit switch
    {
        "y" => 31557600,
        "month" => 2629800,
        "w" => 604800,
        "d" => 86400,
        "h" => 3600,
        "min" => 60,
        "s" => 1,
        "ms" => 1e-3,
        "us" or "µs" => 1e-6,
        _ => null,
    };
}
