using System.Globalization;

namespace Rekernel.Fleet;

/// <summary>
/// The canary stages of a rollout, <c>1, 10%, 25%</c>: the first host alone, then up to 10% of the group, then
/// 25%, each stage finishing before the next starts, and <c>max_concurrent</c> at a time afterwards. No stage ever
/// exceeds <c>max_concurrent</c>.
/// </summary>
public static class Slices
{
    /// <summary>The stages in <paramref name="text"/>, normalised; a bad one is a usage error.</summary>
    public static string[] Parse(string text) =>
        [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Check)];

    /// <summary>How many more hosts of a group of <paramref name="hosts"/> may take a slot now, given the switches completed and the slots held.</summary>
    public static int FreeSlots(GroupConfig config, int hosts, int completed, int holders)
    {
        int end = 0;
        foreach (string slice in config.Slices)
        {
            end += Size(slice, hosts);
            if (completed < end) return Math.Min(config.MaxConcurrent, end - completed) - holders;
        }
        return config.MaxConcurrent - holders;
    }

    private static int Size(string slice, int hosts) =>
        slice.EndsWith('%')
            ? Math.Max(1, (int)Math.Ceiling(hosts * double.Parse(slice[..^1], CultureInfo.InvariantCulture) / 100))
            : int.Parse(slice, CultureInfo.InvariantCulture);

    private static string Check(string slice)
    {
        bool percent = slice.EndsWith('%');
        string number = percent ? slice[..^1] : slice;
        bool valid = percent
            ? double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double p) && p is > 0 and <= 100
            : int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0;
        if (!valid) ThrowHelper.Usage($"slice '{slice}' is not a host count or a percentage; give for example --slices 1,10%,25%.");
        return slice;
    }
}
