using System.Globalization;

namespace Rekernel.Config;

/// <summary>
/// A daily span of local time, <c>HH:MM-HH:MM</c>, in which automatic upgrades may switch; the end is exclusive
/// and a window whose end is earlier than its start runs over midnight (<c>23:00-02:00</c>).
/// </summary>
public readonly record struct MaintenanceWindow
{
    public MaintenanceWindow(TimeOnly start, TimeOnly end)
    {
        if (start == end) throw new ArgumentException("a maintenance window needs a start and an end that differ.", nameof(end));
        Start = start;
        End = end;
    }

    public TimeOnly Start { get; }
    public TimeOnly End { get; }

    public bool Contains(TimeOnly time) => Start < End ? time >= Start && time < End : time >= Start || time < End;

    /// <summary><c>HH:MM-HH:MM</c>, or null when the text is not that or both ends are the same.</summary>
    public static MaintenanceWindow? TryParse(string text)
    {
        string[] parts = text.Split('-');
        if (parts.Length != 2 || !TryParseTime(parts[0].Trim(), out TimeOnly start) || !TryParseTime(parts[1].Trim(), out TimeOnly end) || start == end)
            return null;
        return new MaintenanceWindow(start, end);
    }

    private static bool TryParseTime(string text, out TimeOnly time) =>
        TimeOnly.TryParseExact(text, ["H:mm", "HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out time);

    public override string ToString() =>
        $"{Start.ToString("HH:mm", CultureInfo.InvariantCulture)}-{End.ToString("HH:mm", CultureInfo.InvariantCulture)}";
}
