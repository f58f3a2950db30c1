using System.Globalization;

namespace Rekernel.Locking;

/// <summary>Who holds the lock, as the holder wrote it into the lock file: its pid and its command line.</summary>
public readonly record struct LockHolder(int Pid, string Command)
{
    /// <summary>The file content: the pid on the first line, the command on the second.</summary>
    public string ToFileText() => $"{Pid.ToString(CultureInfo.InvariantCulture)}\n{Command}\n";

    /// <summary>The holder written in a lock file, or null when the text is empty or not in that form.</summary>
    public static LockHolder? Parse(string text)
    {
        string[] lines = text.Split('\n');
        if (lines.Length < 2 || !int.TryParse(lines[0], NumberStyles.None, CultureInfo.InvariantCulture, out int pid)) return null;
        return new LockHolder(pid, lines[1].Trim());
    }
}
